// The package already holds every value set its questionnaire names, expanded. Contained in the
// questionnaire, the renderer reads them from there: no terminology server, no second token.
export function withContainedValueSets(questionnaire, valueSets) {
  const copy = structuredClone(questionnaire);
  const named = new Set(answerValueSets(copy.item).map(canonical => canonical.split('|')[0]));
  const ids = {};
  copy.contained = [...(copy.contained || [])];
  valueSets.forEach((valueSet, index) => {
    // Only what an item offers as answers (the Library's value sets are for the CQL engine).
    if (!valueSet.url || !valueSet.expansion || !named.has(valueSet.url)) return;
    const id = `package-vs-${index + 1}`;
    copy.contained.push({ ...valueSet, id });
    ids[valueSet.url] = id;
    if (valueSet.version) ids[`${valueSet.url}|${valueSet.version}`] = id;
  });
  rewrite(copy.item, ids);
  return copy;
}

function rewrite(items, ids) {
  for (const item of items || []) {
    if (item.answerValueSet && ids[item.answerValueSet]) item.answerValueSet = `#${ids[item.answerValueSet]}`;
    rewrite(item.item, ids);
  }
}

function answerValueSets(items) {
  return (items || []).flatMap(item => [...(item.answerValueSet ? [item.answerValueSet] : []), ...answerValueSets(item.item)]);
}
