// The customer's preferred language on their profile (PUT /me): read at sign-in, written when
// they switch language while signed in, so e-mails and texts come in the language they read.
import { useQuery, useQueryClient, type QueryClient } from "@tanstack/react-query";
import { useEffect, useRef } from "react";
import { unwrap, type Api } from "../api/client";
import type { Profile, ProfileUpdate } from "../api/types";
import { useApi, useUser } from "../context";
import { setLanguage, type Language } from "../i18n";
import { chosenLanguage, profileLanguageToApply } from "../lib/language";

export const PROFILE_QUERY = ["me"] as const;

export function readProfile(api: Api): Promise<Profile> {
  return unwrap(api.GET("/me"));
}

/** The full update PUT /me takes (it replaces the profile), from the profile as it stands. */
export function profileUpdate(profile: Profile, language: Language): ProfileUpdate {
  return {
    givenName: profile.givenName ?? "",
    familyName: profile.familyName ?? "",
    phone: profile.phone ?? null,
    dateOfBirth: profile.dateOfBirth ?? null,
    address: profile.address ?? null,
    contactPreferences: profile.contactPreferences,
    preferredLanguage: language,
  };
}

export function saveProfile(
  api: Api,
  profile: Profile,
  body: ProfileUpdate,
): Promise<Profile> {
  // If-Match: a change made elsewhere since the profile was read is not overwritten blindly.
  return unwrap(api.PUT("/me", { body, headers: { "If-Match": `"${profile.version}"` } }));
}

/**
 * A language switch made while signed in, kept on the profile too. A profile without a name
 * cannot be saved yet (the API requires one): the profile page saves the language with it.
 */
export async function saveLanguageToProfile(api: Api, queries: QueryClient, language: Language): Promise<void> {
  const profile = await queries.fetchQuery({ queryKey: PROFILE_QUERY, queryFn: () => readProfile(api) });
  if (profile.preferredLanguage === language || !profile.givenName?.trim() || !profile.familyName?.trim()) return;
  const saved = await saveProfile(api, profile, profileUpdate(profile, language));
  queries.setQueryData(PROFILE_QUERY, saved);
}

/** At sign-in, the profile's language unless one was picked in this browser. */
export function useProfileLanguage(): void {
  const api = useApi();
  const user = useUser();
  const signedIn = Boolean(user);
  const pickedHere = chosenLanguage() !== null;
  const profile = useQuery({
    queryKey: PROFILE_QUERY,
    queryFn: () => readProfile(api),
    enabled: signedIn && !pickedHere,
  });
  const applied = useRef<string | null>(null);
  const sub = user?.profile.sub ?? null;
  useEffect(() => {
    // Once per signed-in person: a later switch in the header is theirs to keep.
    if (!profile.data || !sub || applied.current === sub) return;
    applied.current = sub;
    const language = profileLanguageToApply(profile.data.preferredLanguage, chosenLanguage());
    if (language) void setLanguage(language);
  }, [profile.data, sub]);
}

export function useSaveLanguage(): (language: Language) => void {
  const api = useApi();
  const queries = useQueryClient();
  const user = useUser();
  return (language) => {
    if (!user) return;
    saveLanguageToProfile(api, queries, language).catch(() => {
      // The switch itself stands; the profile page shows and saves the preference too.
    });
  };
}
