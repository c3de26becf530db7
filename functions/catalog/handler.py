"""GET /products and GET /products/{productId}: the public insurance product catalog."""

from __future__ import annotations

from typing import Annotated, Any

from aws_lambda_powertools.event_handler.openapi.params import Path, Query
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from salesportal.config import Settings, load
from salesportal.contract import refusals, success
from salesportal.data.catalog import CatalogRepository
from salesportal.http import rest_resolver
from salesportal.models.catalog import Product, ProductPage
from salesportal.observability import entrypoint
from salesportal.workflows import browsing

app = rest_resolver()


class CatalogSettings(Settings):
    catalog_table_name: str


def _catalog() -> CatalogRepository:
    return CatalogRepository(load(CatalogSettings).catalog_table_name)


@app.get("/products")
def list_products(
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    next_token: Annotated[str | None, Query(alias="nextToken", max_length=2048)] = None,
) -> ProductPage:
    page = _catalog().list_products(limit, next_token)
    return ProductPage(items=[Product.from_entity(p) for p in page.items], next_token=page.next_token)


@app.get(
    "/products/<productId>",
    responses={200: success("The product"), **refusals({404: "No such product (product_not_found)"})},
)
def get_product(
    product_id: Annotated[str, Path(alias="productId", pattern=r"^[a-z0-9-]{1,64}$")],
) -> Product:
    return Product.from_entity(browsing.product(_catalog(), product_id))


@entrypoint(correlation_paths.API_GATEWAY_REST)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
