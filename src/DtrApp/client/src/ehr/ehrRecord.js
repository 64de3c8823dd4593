// What the app reads from the EHR with the launch token: the patient, the orders and coverage in
// the launch context (or the patient's active coverage), and who ordered.

export async function readEhrRecord(client, context) {
  const patient = await client.patient.read();
  const orders = [];
  for (const reference of context.orders) {
    orders.push(await client.request(reference));
  }

  const coverage = await readCoverage(client, context, patient.id);
  const insurer = await readOptional(client, coverage?.payor?.[0]?.reference, 'Organization');
  const { practitioner, organization } = await readRequester(client, orders[0]);
  return { patient, orders, coverage, insurer, practitioner, organization };
}

async function readCoverage(client, context, patientId) {
  if (context.coverages.length) {
    return client.request(context.coverages[0]);
  }

  const found = await client.request(`Coverage?patient=${encodeURIComponent(patientId)}&status=active`, { flat: true, pageLimit: 1 });
  return found.find(resource => resource.resourceType === 'Coverage') || null;
}

async function readRequester(client, order) {
  const requester = order?.requester?.reference;
  if (!requester) return { practitioner: null, organization: null };
  const resource = await readOptional(client, requester);
  if (resource?.resourceType === 'PractitionerRole') {
    return {
      practitioner: await readOptional(client, resource.practitioner?.reference, 'Practitioner'),
      organization: await readOptional(client, resource.organization?.reference, 'Organization'),
    };
  }

  if (resource?.resourceType === 'Organization') return { practitioner: null, organization: resource };
  return { practitioner: resource?.resourceType === 'Practitioner' ? resource : null, organization: null };
}

// A reference the record may not resolve (a contained or external payer): missing is not fatal.
async function readOptional(client, reference, type) {
  if (!reference || reference.startsWith('#') || (type && !reference.includes(`${type}/`))) return null;
  try {
    return await client.request(reference);
  } catch {
    return null;
  }
}

// The resources a Library's dataRequirements name, for this patient. Code filters go to the EHR's
// search; value-set filters are left to the CQL engine (an EHR rarely supports code:in).
export async function readDataRequirements(client, library, patient) {
  const resources = [];
  const problems = [];
  for (const requirement of library.dataRequirement || []) {
    if (!requirement.type || requirement.type === 'Patient') continue;
    const codes = (requirement.codeFilter || [])
      .filter(filter => filter.path === 'code' && filter.code?.length)
      .flatMap(filter => filter.code.map(c => `${c.system}|${c.code}`));
    let query = `${requirement.type}?patient=${encodeURIComponent(patient.id)}`;
    if (codes.length) query += `&code=${codes.map(encodeURIComponent).join(',')}`;
    try {
      const found = await client.request(query, { flat: true, pageLimit: 5 });
      resources.push(...found.filter(resource => resource?.resourceType === requirement.type));
    } catch (error) {
      problems.push(`${requirement.type}: ${error.message || error}`);
    }
  }

  return { resources, problems };
}
