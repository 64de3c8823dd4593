// The package already holds every value set its questionnaire names, expanded. The form handed to
// the renderer lists those answers on the item itself (answerOption) instead of naming the value
// set: the renderer needs no terminology server and no second token, and it draws an answer-option
// choice as a one-line combobox input, where for an answerValueSet it uses a multi-line textarea
// with role="combobox" (a role a textarea may not take: axe's aria-allowed-role). The answers are
// the same codings either way, and the response still names the payer's questionnaire.
export function withAnswerOptions(questionnaire, valueSets) {
  const copy = structuredClone(questionnaire);
  const named = new Set(answerValueSets(copy.item).map(canonical => canonical.split('|')[0]));
  const options = {};
  for (const valueSet of valueSets) {
    // Only what an item offers as answers (the Library's value sets are for the CQL engine).
    if (!valueSet.url || !valueSet.expansion || !named.has(valueSet.url)) continue;
    const codings = selectable(valueSet.expansion.contains).map(({ system, version, code, display }) => ({ valueCoding: { system, version, code, display } }));
    options[valueSet.url] = codings;
    if (valueSet.version) options[`${valueSet.url}|${valueSet.version}`] = codings;
  }
  rewrite(copy.item, options);
  return copy;
}

function rewrite(items, options) {
  for (const item of items || []) {
    const codings = item.answerValueSet && options[item.answerValueSet];
    if (codings) {
      // FHIR allows answerOption or answerValueSet on an item, never both.
      item.answerOption = codings.map(option => structuredClone(option));
      delete item.answerValueSet;
    }
    rewrite(item.item, options);
  }
}

// An expansion's codes, nested ones included; an abstract entry only groups others and is not an answer.
function selectable(contains) {
  return (contains || []).flatMap(entry => [...(entry.code && !entry.abstract ? [entry] : []), ...selectable(entry.contains)]);
}

function answerValueSets(items) {
  return (items || []).flatMap(item => [...(item.answerValueSet ? [item.answerValueSet] : []), ...answerValueSets(item.item)]);
}
