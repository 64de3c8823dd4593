// The app holds two SMART sessions. The EHR's (from the launch) gives the launch context, reads the
// record and saves the response. The payer's own, where the payer's FHIR API needs tokens (the page's
// settings say so), fetches the questionnaire package and submits the request: fhirclient finds the
// payer's authorization server in that API's SMART configuration. fhirclient
// keeps one current session per browser tab, so the EHR's is set aside here while the user signs
// in to the payer, and restored from its state afterwards.
import FHIR from 'fhirclient';

const EHR_SESSION = 'spinepolicy-dtr:ehr-session';

/** A new launch starts over: the EHR session set aside by an earlier one no longer applies. */
export function forgetSetAsideSession(storage = window.sessionStorage) {
  storage.removeItem(EHR_SESSION);
}

/**
 * Completes whichever sign-in the browser is returning from. Resolves to { ehr, payer } (payer is
 * null when the payer's API asks for no sign-in), or to null when the browser is on its way to the
 * payer's sign-in page.
 */
export async function connect(config, storage = window.sessionStorage) {
  const setAside = storage.getItem(EHR_SESSION);
  if (setAside) {
    let payer;
    try {
      payer = await FHIR.oauth2.ready();
    } catch (error) {
      forgetSetAsideSession(storage);
      throw new SignInError(`Signing in with the payer did not complete (${error.message || error}). Start again from your EHR.`);
    }

    return { ehr: FHIR.client(JSON.parse(setAside)), payer };
  }

  const ehr = await FHIR.oauth2.ready();
  if (!config.payerSignIn) {
    return { ehr, payer: null };
  }

  storage.setItem(EHR_SESSION, JSON.stringify(ehr.state));
  try {
    await FHIR.oauth2.authorize({
      clientId: config.payerClientId,
      scope: config.payerScope,
      iss: config.payerFhirBase,
      redirectUri: config.redirectPath,
      pkceMode: 'required',
    });
  } catch (error) {
    forgetSetAsideSession(storage);
    throw new SignInError(`The payer's sign-in could not be reached (${error.message || error}).`);
  }
  return null;
}

/** The payer session's current access token (refreshed first when it has expired and can be). */
export function payerTokenSource(payer) {
  if (!payer) return async () => null;
  return async () => {
    await payer.refreshIfNeeded();
    return payer.getState('tokenResponse.access_token') || null;
  };
}

export class SignInError extends Error {}
