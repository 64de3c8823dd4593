// The settings the server renders into the page (DtrApp options): client id, scopes, the payer's
// FHIR base, the app's client id and scopes there, and the EHR issuers allowed to launch us.
export function readConfig(doc = document) {
  const element = doc.getElementById('dtr-config');
  const config = element ? JSON.parse(element.textContent) : {};
  return {
    clientId: config.clientId || 'spinepolicy-dtr',
    scope: config.scope || 'launch openid fhirUser patient/*.read user/QuestionnaireResponse.write',
    standaloneScope: config.standaloneScope || 'launch/patient openid fhirUser patient/*.read user/QuestionnaireResponse.write',
    payerFhirBase: new URL(config.payerFhirBase || '/fhir', doc.baseURI).href.replace(/\/$/, ''),
    payerSignIn: config.payerSignIn === true,
    payerClientId: config.payerClientId || 'spinepolicy-dtr',
    payerScope: config.payerScope || 'user/Questionnaire.rs user/ValueSet.rs user/Claim.c',
    allowedIssuers: config.allowedIssuers || [],
    redirectPath: config.redirectPath || '/dtr/',
  };
}

// An issuer may launch us when no list is configured or it is on the list (compared without a trailing slash).
export function issuerAllowed(config, iss) {
  if (!config.allowedIssuers.length) return true;
  const wanted = String(iss || '').replace(/\/$/, '');
  return config.allowedIssuers.some(allowed => allowed.replace(/\/$/, '') === wanted);
}
