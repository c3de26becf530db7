import { Link } from "react-router";
import { Page } from "../components/Page";
import { t } from "../i18n";

export default function NotFoundPage() {
  return (
    <Page title={t("state.notFound")}>
      <p>
        <Link to="/">{t("state.backHome")}</Link>
      </p>
    </Page>
  );
}
