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
 * the clinician never opened has not been checked by the renderer: it is named as a whole. Each
 * carries its form's index and (for a question) its linkId, so that the page can take the
 * clinician to it.
 */
export function openQuestionsOfForms(forms, onScreenIndex, onScreenInvalid) {
  const open = [];
  forms.forEach((form, index) => {
    const title = form.original.title || 'Questionnaire';
    const prefix = forms.length > 1 ? `${title}: ` : '';
    const invalid = index === onScreenIndex ? onScreenInvalid : form.lastInvalid;
    if (invalid === undefined) {
      open.push({ key: `${index}`, form: index, text: `open “${title}” and answer its questions` });
      return;
    }
    for (const question of openQuestions(form.original, invalid)) {
      open.push({ key: `${index}:${question.linkId}`, form: index, linkId: question.linkId, text: prefix + question.text });
    }
  });
  return open;
}

const FOCUSABLE = 'input:not([type="hidden"]):not([disabled]), select:not([disabled]), textarea:not([disabled]), button:not([disabled]), [tabindex]:not([tabindex="-1"])';

/**
 * Takes keyboard focus to a question the renderer draws: its box carries data-linkid (the
 * renderer's own marker; its inputs' ids are not uniform across item types). Scrolls the box into
 * view and focuses its first control. False when the question is not on screen.
 */
export function focusQuestion(container, linkId) {
  const box = container?.querySelector(`[data-linkid="${CSS.escape(linkId)}"]`);
  if (!box) return false;
  box.scrollIntoView({ block: 'center' });
  const control = [...box.querySelectorAll(FOCUSABLE)].find(element => element.getClientRects().length > 0) || box.querySelector(FOCUSABLE);
  if (control) {
    control.focus();
  } else {
    box.setAttribute('tabindex', '-1');
    box.focus();
  }
  return true;
}
