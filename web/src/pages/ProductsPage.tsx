import { useQuery } from "@tanstack/react-query";
import { Link } from "react-router";
import { unwrap } from "../api/client";
import { Page } from "../components/Page";
import { QueryState } from "../components/States";
import { useApi } from "../context";
import { productDescription, productName } from "../features/catalogText";
import { formatMoney, t } from "../i18n";

export default function ProductsPage() {
  const api = useApi();
  const products = useQuery({
    queryKey: ["products"],
    queryFn: () => unwrap(api.GET("/products", { params: { query: { limit: 50 } } })),
  });
  return (
    <Page title={t("products.title")}>
      <QueryState query={products} isEmpty={(page) => page.items.length === 0}>
        {(page) => (
          <ul className="cards">
            {page.items.map((product) => (
              <li key={product.productId} className="card">
                <h2>{productName(product)}</h2>
                <p>{productDescription(product)}</p>
                <p className="price">
                  {t("products.from", { amount: formatMoney(product.startingMonthlyPremium) })}
                </p>
                <p className="muted">{t("products.states", { states: product.availableStates.join(", ") })}</p>
                <Link className="button" to={`/products/${product.productId}`}>
                  {t("products.quote")}
                  <span className="visually-hidden">: {productName(product)}</span>
                </Link>
              </li>
            ))}
          </ul>
        )}
      </QueryState>
    </Page>
  );
}
