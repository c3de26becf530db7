// The customer's own profile and how they want to be contacted.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState, type FormEvent } from "react";
import { unwrap } from "../api/client";
import { ApiError } from "../api/errors";
import type { Profile, ProfileUpdate } from "../api/types";
import { Checkbox, SelectField, TextField } from "../components/Field";
import { Page } from "../components/Page";
import { FormError, QueryState } from "../components/States";
import { useApi } from "../context";
import { PROFILE_QUERY } from "../features/profileLanguage";
import { LANGUAGES, languageOf, t, useLanguage, type Language } from "../i18n";
import { chooseLanguage } from "../lib/language";

export default function ProfilePage() {
  const api = useApi();
  const profile = useQuery({ queryKey: PROFILE_QUERY, queryFn: () => unwrap(api.GET("/me")) });
  return (
    <Page title={t("profile.title")}>
      <QueryState query={profile}>{(found) => <ProfileForm key={found.customerId} profile={found} />}</QueryState>
    </Page>
  );
}

function ProfileForm({ profile }: { profile: Profile }) {
  const api = useApi();
  const queries = useQueryClient();
  // The portal's language is the one to keep: at sign-in it was set from this profile unless
  // another was picked in this browser, and a pick in the header is saved to the profile too.
  const language = useLanguage();
  const [form, setForm] = useState({
    language,
    givenName: profile.givenName ?? "",
    familyName: profile.familyName ?? "",
    phone: profile.phone ?? "",
    email: profile.contactPreferences?.email ?? true,
    sms: profile.contactPreferences?.sms ?? false,
  });
  useEffect(() => setForm((current) => ({ ...current, language })), [language]);
  const save = useMutation({
    mutationFn: (body: ProfileUpdate) =>
      // If-Match: a change made elsewhere since this page loaded is not overwritten blindly.
      unwrap(api.PUT("/me", { body, headers: { "If-Match": `"${profile.version}"` } })),
    onSuccess: (saved) => {
      queries.setQueryData(PROFILE_QUERY, saved);
      const chosen = languageOf(saved.preferredLanguage);
      if (chosen && chosen !== language) void chooseLanguage(chosen);
    },
  });
  const error = save.error instanceof ApiError ? save.error : null;
  function onSubmit(event: FormEvent) {
    event.preventDefault();
    save.mutate({
      givenName: form.givenName,
      familyName: form.familyName,
      phone: form.phone || null,
      dateOfBirth: profile.dateOfBirth ?? null,
      address: profile.address ?? null,
      contactPreferences: { email: form.email, sms: form.sms },
      preferredLanguage: form.language,
    });
  }
  return (
    <form className="form" onSubmit={onSubmit} noValidate>
      <p>
        {t("profile.email")}: <strong>{profile.email}</strong>
      </p>
      <TextField label={t("apply.givenName")} name="givenName" required autoComplete="given-name"
        value={form.givenName} onChange={(givenName) => setForm({ ...form, givenName })} error={error?.messageFor("givenName")} />
      <TextField label={t("apply.familyName")} name="familyName" required autoComplete="family-name"
        value={form.familyName} onChange={(familyName) => setForm({ ...form, familyName })} error={error?.messageFor("familyName")} />
      <TextField label={t("profile.phone")} name="phone" type="tel" autoComplete="tel" value={form.phone}
        onChange={(phone) => setForm({ ...form, phone })} error={error?.messageFor("phone")} />
      <fieldset>
        <legend>{t("profile.contact")}</legend>
        <Checkbox label={t("profile.byEmail")} name="email" checked={form.email} onChange={(email) => setForm({ ...form, email })} />
        <Checkbox label={t("profile.bySms")} name="sms" checked={form.sms} onChange={(sms) => setForm({ ...form, sms })}
          error={error?.messageFor("contactPreferences.sms")} />
      </fieldset>
      <SelectField label={t("profile.language")} name="preferredLanguage" value={form.language}
        onChange={(value) => setForm({ ...form, language: languageOf(value) ?? form.language })}
        options={LANGUAGES.map((option: Language) => ({ value: option, label: t(`language.${option}`) }))}
        error={error?.messageFor("preferredLanguage")} />
      <FormError error={save.error} />
      {save.isSuccess ? <p className="success" role="status">{t("profile.saved")}</p> : null}
      <button type="submit" disabled={save.isPending}>
        {save.isPending ? t("form.submitting") : t("profile.save")}
      </button>
    </form>
  );
}
