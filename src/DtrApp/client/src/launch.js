// /dtr/launch: the SMART App Launch 2.0 entry. EHR launch (?iss=…&launch=…) or standalone
// (?iss=… without launch, or the form below): authorization code with PKCE as a public client.
import FHIR from 'fhirclient';
import { issuerAllowed, readConfig } from './config.js';
import { forgetSetAsideSession } from './smart/sessions.js';

const config = readConfig();
const params = new URLSearchParams(window.location.search);
const iss = params.get('iss') || params.get('fhirServiceUrl');
const message = document.getElementById('launch-message');
const form = document.getElementById('standalone-form');

function authorize(issuer, launch) {
  if (!issuerAllowed(config, issuer)) {
    message.textContent = `This app is not registered with the EHR at ${issuer}. Ask the payer to add it.`;
    message.setAttribute('role', 'alert');
    form.hidden = false;
    return;
  }

  forgetSetAsideSession();
  message.textContent = 'Signing in with your EHR…';
  FHIR.oauth2.authorize({
    clientId: config.clientId,
    scope: launch ? config.scope : config.standaloneScope,
    iss: issuer,
    launch: launch || undefined,
    redirectUri: config.redirectPath,
    pkceMode: 'required',
  }).catch(error => {
    message.textContent = `The EHR could not be reached: ${error.message || error}`;
    message.setAttribute('role', 'alert');
    form.hidden = false;
  });
}

if (iss) {
  authorize(iss, params.get('launch'));
} else {
  message.textContent = 'Enter the FHIR address of your EHR to start.';
  form.hidden = false;
}

form.addEventListener('submit', event => {
  event.preventDefault();
  const issuer = new FormData(form).get('iss');
  if (issuer) authorize(String(issuer).trim(), null);
});
