export interface Config {
  app?: {
    signIn?: {
      /**
       * The sign-in providers the sign-in page offers: guest (development only), oidc
       * (the company's identity provider, as app-config.production.yaml sets it).
       *
       * @visibility frontend
       */
      providers?: ('guest' | 'oidc')[];
    };
  };
}
