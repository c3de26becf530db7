"""The CDK app: AWS resources built from infrastructure/manifest.py."""
