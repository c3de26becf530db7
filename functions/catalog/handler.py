"""GET /products and GET /products/{productId}: the public insurance product catalog."""

from __future__ import annotations

from typing import Annotated, Any

from aws_lambda_powertools.event_handler.openapi.params import Path, Query
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from salesportal.config import Settings, load
from salesportal.contract import refusals, success
from salesportal.data.catalog import CatalogRepository
from salesportal.errors import NotFound
from salesportal.http import rest_resolver
from salesportal.models.catalog import Product, ProductPage
from salesportal.observability import entrypoint

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
    items, token = _catalog().list_products(limit, next_token)
    return ProductPage(items=[Product.model_validate(i) for i in items], next_token=token)


@app.get(
    "/products/<productId>",
    responses={200: success("The product"), **refusals({404: "No such product (product_not_found)"})},
)
def get_product(
    product_id: Annotated[str, Path(alias="productId", pattern=r"^[a-z0-9-]{1,64}$")],
) -> Product:
    item = _catalog().get_product(product_id)
    if item is None:
        raise NotFound(f"No product with id {product_id!r}.", code="product_not_found")
    return Product.model_validate(item)


@entrypoint(correlation_paths.API_GATEWAY_REST)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
