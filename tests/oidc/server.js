// A local OpenID Connect provider for the login tests (panva/oidc-provider), never for use in
// production. Any login name works (development interactions); the account's e-mail claim is
// the login name itself when it holds an '@', else <name>@example.nl. Everything secret comes
// from the environment, made up by the test for one run.
//
//   OIDC_PORT=9000 OIDC_REDIRECT_URI=http://localhost:8501/oauth2callback \
//   OIDC_CLIENT_ID=wijkimpact OIDC_CLIENT_SECRET=... OIDC_COOKIE_KEY=... node server.js
import Provider from "oidc-provider";

const env = (name) => {
  const value = process.env[name];
  if (!value) {
    console.error(`${name} ontbreekt`);
    process.exit(2);
  }
  return value;
};

const port = Number(env("OIDC_PORT"));
const redirect = env("OIDC_REDIRECT_URI");

const provider = new Provider(`http://localhost:${port}`, {
  clients: [
    {
      client_id: env("OIDC_CLIENT_ID"),
      client_secret: env("OIDC_CLIENT_SECRET"),
      redirect_uris: [redirect],
      post_logout_redirect_uris: [redirect],
      grant_types: ["authorization_code"],
      response_types: ["code"],
    },
  ],
  cookies: { keys: [env("OIDC_COOKIE_KEY")] },
  claims: {
    openid: ["sub"],
    email: ["email", "email_verified"],
    profile: ["name"],
  },
  // Streamlit reads the user from the ID token: put the scopes' claims in it
  conformIdTokenClaims: false,
  features: { devInteractions: { enabled: true } },
  async findAccount(ctx, id) {
    const email = id.includes("@") ? id : `${id}@example.nl`;
    return {
      accountId: id,
      async claims() {
        return { sub: id, email, email_verified: true, name: id };
      },
    };
  },
  // a first-party client: no consent screen
  async loadExistingGrant(ctx) {
    const grantId =
      ctx.oidc.result?.consent?.grantId ||
      ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) {
      return ctx.oidc.provider.Grant.find(grantId);
    }
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope("openid email profile");
    await grant.save();
    return grant;
  },
});

provider.listen(port, () => {
  console.log(`oidc-provider op http://localhost:${port}`);
});
