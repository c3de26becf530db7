"""Cognito: the user pool, its managed login, the SPA client, the role groups and the triggers."""

from __future__ import annotations

from aws_cdk import Aws, Duration, RemovalPolicy
from aws_cdk import aws_cognito as cognito
from aws_cdk import aws_lambda as lambda_
from constructs import Construct

from infrastructure.cdk.constructs.nag import acknowledge

GROUPS = {"admins": 1, "agents": 2, "customers": 3}  # precedence: lower wins
_OPERATIONS = {
    "post_confirmation": cognito.UserPoolOperation.POST_CONFIRMATION,
    "post_authentication": cognito.UserPoolOperation.POST_AUTHENTICATION,
}


class Auth(Construct):
    def __init__(
        self, scope: Construct, construct_id: str, *, callback_urls: list[str], logout_urls: list[str]
    ) -> None:
        super().__init__(scope, construct_id)
        self.user_pool = cognito.UserPool(
            self,
            "Users",
            self_sign_up_enabled=True,
            sign_in_aliases=cognito.SignInAliases(email=True),
            auto_verify=cognito.AutoVerifiedAttrs(email=True),
            account_recovery=cognito.AccountRecovery.EMAIL_ONLY,
            password_policy=cognito.PasswordPolicy(
                min_length=12,
                require_lowercase=True,
                require_uppercase=True,
                require_digits=True,
                require_symbols=True,
                temp_password_validity=Duration.days(3),
            ),
            mfa=cognito.Mfa.OPTIONAL,
            mfa_second_factor=cognito.MfaSecondFactor(otp=True, sms=False),
            feature_plan=cognito.FeaturePlan.PLUS,
            standard_threat_protection_mode=cognito.StandardThreatProtectionMode.FULL_FUNCTION,
            removal_policy=RemovalPolicy.RETAIN,
        )
        acknowledge(
            self.user_pool,
            "AwsSolutions-COG2",
            "MFA is optional (TOTP) so customers can buy without a second device; threat protection "
            "(adaptive authentication) is on in full-function mode for every sign-in.",
        )
        # Managed login (not the classic hosted UI) because it speaks the customer's language:
        # the portal passes lang=es|en, and sign-in, sign-up and confirmation follow it.
        self.domain = self.user_pool.add_domain(
            "HostedUi",
            cognito_domain=cognito.CognitoDomainOptions(domain_prefix=f"salesportal-{Aws.ACCOUNT_ID}"),
            managed_login_version=cognito.ManagedLoginVersion.NEWER_MANAGED_LOGIN,
        )
        self.client = self.user_pool.add_client(
            "Spa",
            generate_secret=False,  # a browser cannot keep a secret: authorization code + PKCE
            o_auth=cognito.OAuthSettings(
                flows=cognito.OAuthFlows(authorization_code_grant=True),
                scopes=[cognito.OAuthScope.OPENID, cognito.OAuthScope.EMAIL, cognito.OAuthScope.PROFILE],
                callback_urls=callback_urls,
                logout_urls=logout_urls,
            ),
            prevent_user_existence_errors=True,
            id_token_validity=Duration.minutes(60),
            access_token_validity=Duration.minutes(60),
            refresh_token_validity=Duration.days(30),
        )
        # Managed login shows an app client's pages only once the client has a style; Cognito's
        # own is enough (the portal's look starts after sign-in).
        self.branding = cognito.CfnManagedLoginBranding(
            self,
            "SpaBranding",
            user_pool_id=self.user_pool.user_pool_id,
            client_id=self.client.user_pool_client_id,
            use_cognito_provided_values=True,
        )
        self._callback_urls = list(callback_urls)
        self._logout_urls = list(logout_urls)
        # Sign-in only through the hosted UI (code + PKCE): no password or SRP flow on this
        # client, only refreshing the tokens the hosted UI issued. (Left unset, Cognito would
        # allow SRP and custom auth by default.)
        self._cfn_client().explicit_auth_flows = ["ALLOW_REFRESH_TOKEN_AUTH"]
        for group, precedence in GROUPS.items():
            cognito.CfnUserPoolGroup(
                self,
                f"Group-{group}",
                user_pool_id=self.user_pool.user_pool_id,
                group_name=group,
                precedence=precedence,
            )

    def _cfn_client(self) -> cognito.CfnUserPoolClient:
        client = self.client.node.default_child
        assert isinstance(client, cognito.CfnUserPoolClient)
        return client

    def register_app(self, *, callback_url: str, logout_url: str) -> None:
        """The portal's own URLs, beside the ones from context."""
        client = self._cfn_client()
        client.callback_ur_ls = [*self._callback_urls, callback_url]
        client.logout_ur_ls = [*self._logout_urls, logout_url]

    def add_trigger(self, operation: str, function: lambda_.IFunction) -> None:
        self.user_pool.add_trigger(_OPERATIONS[operation], function)
