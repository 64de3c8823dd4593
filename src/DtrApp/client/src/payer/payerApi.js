// The payer's FHIR API (this server's /fhir): the questionnaire package and Claim/$submit.

export class PayerError extends Error {
  constructor(status, message, outcome) {
    super(message);
    this.status = status;
    this.outcome = outcome;
  }
}

// tokenSource: async () => the payer session's access token, or null where the API asks for none.
export function createPayerApi(base, tokenSource) {
  async function post(path, resource) {
    const headers = { 'Content-Type': 'application/fhir+json', Accept: 'application/fhir+json' };
    const accessToken = await tokenSource();
    if (accessToken) headers.Authorization = `Bearer ${accessToken}`;
    let response;
    try {
      response = await fetch(`${base}/${path}`, { method: 'POST', headers, body: JSON.stringify(resource) });
    } catch {
      // fetch rejects only when no answer came back (offline, connection dropped): say that in
      // words rather than the browser's "Failed to fetch".
      throw new PayerError(0, 'The payer could not be reached (no answer over the network). Check the connection and try again.', null);
    }
    const text = await response.text();
    let body = null;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      body = null;
    }
    if (response.status === 401) {
      const why = accessToken
        ? 'The payer no longer accepts your sign-in (it may have expired). Start again from your EHR.'
        : 'The payer asks for a sign-in, but names no authorization server this app can sign you in to. Ask the payer to configure one.';
      throw new PayerError(401, why, body);
    }
    if (!response.ok) {
      throw new PayerError(response.status, outcomeText(body) || `The payer answered ${response.status}.`, body);
    }
    return body;
  }

  return {
    // DTR 2.0.1 $questionnaire-package: the coverage, the orders, the patient they reference, and
    // the questionnaire canonicals or CRD coverage-assertion id the launch named.
    async questionnairePackage({ patient, coverage, orders, questionnaires, coverageAssertionIds }) {
      const parameter = [{ name: 'coverage', resource: coverage }];
      for (const order of orders) parameter.push({ name: 'order', resource: order });
      parameter.push({ name: 'referenced', resource: patient });
      for (const canonical of questionnaires) parameter.push({ name: 'questionnaire', valueCanonical: canonical });
      if (coverageAssertionIds.length) parameter.push({ name: 'context', valueString: coverageAssertionIds[0] });
      return post('Questionnaire/$questionnaire-package', { resourceType: 'Parameters', parameter });
    },

    submit(bundle) {
      return post('Claim/$submit', bundle);
    },
  };
}

export function outcomeText(outcome) {
  if (outcome?.resourceType !== 'OperationOutcome') return null;
  return (outcome.issue || [])
    .filter(issue => issue.severity === 'error' || issue.severity === 'fatal')
    .map(issue => issue.diagnostics || issue.details?.text)
    .filter(Boolean)
    .join(' ') || null;
}

/** The package's Bundles, each split into its Questionnaire, Libraries, ValueSets and draft response. */
export function readPackage(parameters) {
  const forms = [];
  const notes = [];
  for (const parameter of parameters?.parameter || []) {
    if (parameter.name === 'PackageBundle' && parameter.resource?.resourceType === 'Bundle') {
      const resources = (parameter.resource.entry || []).map(entry => entry.resource).filter(Boolean);
      const questionnaire = resources.find(r => r.resourceType === 'Questionnaire');
      if (!questionnaire) continue;
      forms.push({
        questionnaire,
        libraries: resources.filter(r => r.resourceType === 'Library'),
        valueSets: resources.filter(r => r.resourceType === 'ValueSet'),
        draft: resources.find(r => r.resourceType === 'QuestionnaireResponse') || null,
      });
    } else if (parameter.resource?.resourceType === 'OperationOutcome') {
      for (const issue of parameter.resource.issue || []) {
        if (issue.diagnostics) notes.push(issue.diagnostics);
      }
    }
  }
  return { forms, notes };
}
