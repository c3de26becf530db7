"""The sign-in pages speak the portal's language: Cognito's managed login, styled for the portal."""

from __future__ import annotations


def test_the_domain_serves_managed_login_not_the_classic_hosted_ui(synthesized):
    (domain,) = synthesized.of_type("AWS::Cognito::UserPoolDomain").values()
    # Version 2 is managed login, the one that reads lang=es; version 1 (classic) is English only.
    assert domain["Properties"]["ManagedLoginVersion"] == 2
    (pool_id,) = synthesized.of_type("AWS::Cognito::UserPool")
    assert domain["Properties"]["UserPoolId"] == {"Ref": pool_id}


def test_the_portal_client_has_cognitos_own_managed_login_style(synthesized):
    # Without a style, managed login has no pages to show for a client.
    (client_id,) = synthesized.of_type("AWS::Cognito::UserPoolClient")
    (pool_id,) = synthesized.of_type("AWS::Cognito::UserPool")
    (branding,) = synthesized.of_type("AWS::Cognito::ManagedLoginBranding").values()
    props = branding["Properties"]
    assert props["ClientId"] == {"Ref": client_id}
    assert props["UserPoolId"] == {"Ref": pool_id}
    assert props["UseCognitoProvidedValues"] is True
    assert "Settings" not in props and "Assets" not in props  # Cognito refuses them beside its own
