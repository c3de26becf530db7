// Loading, error and empty states, the same on every page.
import type { UseQueryResult } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { errorText, isApiError } from "../api/errors";
import { t, useLanguage } from "../i18n";

export function Loading({ label }: { label?: string }) {
  return (
    <p className="loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      {label ?? t("state.loading")}
    </p>
  );
}

export function ErrorMessage({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  // An API error's text is a whole sentence already; anything else is introduced as an error.
  const message = isApiError(error) ? errorText(error) : t("state.error", { message: errorText(error) });
  return (
    <div className="error-box" role="alert">
      <p>{message}</p>
      {onRetry ? (
        <button type="button" className="secondary" onClick={onRetry}>
          {t("state.retry")}
        </button>
      ) : null}
    </div>
  );
}

export function Empty({ children }: { children?: ReactNode }) {
  return <p className="empty">{children ?? t("state.empty")}</p>;
}

/** A query's three states around what its data renders. */
export function QueryState<T>({
  query,
  children,
  isEmpty,
  empty,
}: {
  query: UseQueryResult<T>;
  children: (data: T) => ReactNode;
  isEmpty?: (data: T) => boolean;
  empty?: ReactNode;
}) {
  if (query.isPending) return <Loading />;
  if (query.isError) return <ErrorMessage error={query.error} onRetry={() => void query.refetch()} />;
  if (isEmpty?.(query.data)) return <Empty>{empty}</Empty>;
  return <>{children(query.data)}</>;
}

/** A failed form, said by its error code, with what it names shown beside the fields. */
export function FormError({ error }: { error: unknown }) {
  if (!error) return null;
  const named = isApiError(error) && error.fieldProblems.length > 0;
  return (
    <div className="error-box" role="alert">
      <p>{named ? t("form.invalid") : errorText(error)}</p>
    </div>
  );
}

/** A route whose page failed to load (its chunk, say): rendered by the router, outside any page. */
export function PageFailed() {
  useLanguage();
  return <ErrorMessage error={t("state.pageFailed")} />;
}
