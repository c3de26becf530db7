import { useInfiniteQuery } from "@tanstack/react-query";
import { unwrap } from "../api/client";
import { Page } from "../components/Page";
import { Empty, ErrorMessage, Loading } from "../components/States";
import { useApi } from "../context";
import { formatDateTime, t, tMaybe } from "../i18n";

export default function NotificationsPage() {
  const api = useApi();
  const notifications = useInfiniteQuery({
    queryKey: ["notifications"],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      unwrap(api.GET("/me/notifications", { params: { query: { limit: 20, nextToken: pageParam } } })),
    getNextPageParam: (last) => last.nextToken ?? undefined,
  });
  const items = notifications.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <Page title={t("notifications.title")}>
      {notifications.isPending ? <Loading /> : null}
      {notifications.isError ? (
        <ErrorMessage error={notifications.error} onRetry={() => void notifications.refetch()} />
      ) : null}
      {notifications.isSuccess && items.length === 0 ? <Empty>{t("notifications.none")}</Empty> : null}
      <ul className="list">
        {items.map((n) => (
          <li key={n.notificationId} className="card">
            <h2 className="h3">{n.subject}</h2>
            <p className="muted">
              {formatDateTime(n.sentAt)} · {tMaybe(`notifications.channel.${n.channel}`, n.channel)} ·{" "}
              {tMaybe(`notifications.status.${n.status}`, n.status)}
            </p>
            <p className="pre">{n.text}</p>
          </li>
        ))}
      </ul>
      {notifications.hasNextPage ? (
        <button
          type="button"
          className="secondary"
          disabled={notifications.isFetchingNextPage}
          onClick={() => void notifications.fetchNextPage()}
        >
          {notifications.isFetchingNextPage ? t("state.loading") : t("notifications.more")}
        </button>
      ) : null}
    </Page>
  );
}
