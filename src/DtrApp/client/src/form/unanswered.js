// The questions a form still needs before the request can go to the payer, in the clinician's
// words. The renderer keeps its own validation of the form on screen (required items, value
// limits) keyed by linkId; a request sent with those open would only come back pended for
// "information missing", as a new request the reviewer has to chase.
import { flatten } from '../cql/prepopulate.js';

/** The questions (text, or the linkId when a question has none) that the renderer's validation holds open. */
export function openQuestions(questionnaire, invalidItems) {
  const textOf = new Map(flatten(questionnaire.item).map(item => [item.linkId, item.text]));
  return Object.entries(invalidItems || {})
    .filter(([, outcome]) => (outcome?.issue || []).some(issue => issue.severity === 'error' || issue.severity === 'fatal'))
    .map(([linkId]) => ({ linkId, text: textOf.get(linkId) || linkId }));
}

/**
 * Every form's open questions, each named with its form's title when there are several. A form
 * the clinician never opened has not been checked by the renderer: it is named as a whole.
 */
export function openQuestionsOfForms(forms, onScreenIndex, onScreenInvalid) {
  const open = [];
  forms.forEach((form, index) => {
    const title = form.original.title || 'Questionnaire';
    const prefix = forms.length > 1 ? `${title}: ` : '';
    const invalid = index === onScreenIndex ? onScreenInvalid : form.lastInvalid;
    if (invalid === undefined) {
      open.push({ key: `${index}`, text: `open “${title}” and answer its questions` });
      return;
    }
    for (const question of openQuestions(form.original, invalid)) {
      open.push({ key: `${index}:${question.linkId}`, text: prefix + question.text });
    }
  });
  return open;
}
