// A standalone launch names no order: the patient's open orders in the EHR are the candidates, and
// the clinician picks the one the documentation is for when there is more than one.

const ORDER_SEARCHES = ['ServiceRequest', 'DeviceRequest'];
const OPEN = new Set(['draft', 'active', 'on-hold']);

export async function findOpenOrders(client, patientId) {
  const orders = [];
  for (const type of ORDER_SEARCHES) {
    try {
      const found = await client.request(`${type}?patient=${encodeURIComponent(patientId)}&status=draft,active,on-hold`, { flat: true, pageLimit: 2 });
      orders.push(...found.filter(resource => resource?.resourceType === type && OPEN.has(resource.status)));
    } catch {
      // An EHR that cannot search this type offers fewer orders to pick from; not fatal.
    }
  }

  return orders;
}

/** How the picker names an order: what it is, its code, and when. */
export function describeOrder(order) {
  const concept = order.code || order.codeCodeableConcept || {};
  const coding = (concept.coding || []).find(c => c.code) || {};
  const what = concept.text || coding.display || order.resourceType;
  const code = coding.code ? ` (${coding.code})` : '';
  const when = order.occurrenceDateTime || order.occurrencePeriod?.start || order.authoredOn;
  return `${what}${code}${when ? `, ${String(when).slice(0, 10)}` : ''}`;
}

export function referenceTo(order) {
  return `${order.resourceType}/${order.id}`;
}
