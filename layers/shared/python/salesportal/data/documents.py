"""The documents bucket: policy certificates (private; read through presigned links).

Access patterns: PutObject at a key the caller chose (``workflows.documents.document_key``);
a presigned GET for one key, short-lived.
"""

from __future__ import annotations

from dataclasses import dataclass

from salesportal import aws


@dataclass(frozen=True)
class DocumentBucket:
    bucket_name: str

    def put_pdf(self, key: str, body: bytes, filename: str) -> None:
        aws.client("s3").put_object(
            Bucket=self.bucket_name,
            Key=key,
            Body=body,
            ContentType="application/pdf",
            ContentDisposition=f'inline; filename="{filename}"',
        )

    def link(self, key: str, expires_in_s: int) -> str:
        url: str = aws.client("s3").generate_presigned_url(
            "get_object", Params={"Bucket": self.bucket_name, "Key": key}, ExpiresIn=expires_in_s
        )
        return url
