// /dtr/: the DTR SMART app. Completes the EHR's SMART launch, reads the launch context and the
// record, fetches the payer's questionnaire package, pre-fills it (payer draft + CQL against the
// EHR), lets the clinician finish it, saves it to the EHR and submits the prior authorization.
import React, { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { createRoot } from 'react-dom/client';
import {
  buildForm, getResponse, questionnaireResponseStore, removeEmptyAnswersFromResponse,
  removeInternalIdsFromResponse, useRendererQueryClient,
} from '@aehrc/smart-forms-renderer';
import { readConfig } from './config.js';
import { readLaunchContext } from './smart/launchContext.js';
import { SignInError, connect, payerTokenSource } from './smart/sessions.js';
import { readDataRequirements, readEhrRecord } from './ehr/ehrRecord.js';
import { describeOrder, findOpenOrders, referenceTo } from './ehr/openOrders.js';
import { createPayerApi, readPackage } from './payer/payerApi.js';
import { answersFromResults, evaluateLibrary, orderOfForm } from './cql/prepopulate.js';
import { describePrefilled, finishResponse, initialResponse } from './form/answers.js';
import { withAnswerOptions } from './form/answerOptions.js';
import { focusQuestion, openQuestionsOfForms } from './form/unanswered.js';
import { buildPasBundle } from './pas/pasBundle.js';
import { describeDecision, readDecision } from './pas/outcome.js';
import { PrefilledAnswers } from './ui/PrefilledAnswers.jsx';
import { FormRenderer } from './form/FormRenderer.jsx';

const CQF_LIBRARY = 'http://hl7.org/fhir/StructureDefinition/cqf-library';
const config = readConfig();

async function prepareForm(client, form, patient, orders) {
  const libraryUrls = (form.questionnaire.extension || []).filter(e => e.url === CQF_LIBRARY).map(e => e.valueCanonical.split('|')[0]);
  const libraries = form.libraries.filter(library => libraryUrls.includes(library.url));
  let cqlAnswers = {};
  const problems = [];
  for (const library of libraries) {
    try {
      const { resources, problems: missing } = await readDataRequirements(client, library, patient);
      problems.push(...missing);
      const evaluation = await evaluateLibrary(library, form.valueSets, patient, resources, orderOfForm(form.draft, orders));
      cqlAnswers = { ...answersFromResults(form.questionnaire, evaluation), ...cqlAnswers };
    } catch (error) {
      problems.push(`${library.name || library.url}: ${error.message || error}`);
    }
  }

  const { response, prefilled } = initialResponse(form, cqlAnswers, { reference: `Patient/${patient.id}` });
  return { ...form, questionnaire: withAnswerOptions(form.questionnaire, form.valueSets), original: form.questionnaire, response, prefilled, problems };
}

// Everything the form needs: the record, the payer's package for the orders, each form pre-filled.
async function prepareSession(client, payerSession, context) {
  const record = await readEhrRecord(client, context);
  if (!record.coverage) throw new Error('The EHR holds no active coverage for this patient, so the payer cannot be asked.');
  const payer = createPayerApi(config.payerFhirBase, payerTokenSource(payerSession));
  const { forms, notes } = readPackage(await payer.questionnairePackage({
    patient: record.patient,
    coverage: record.coverage,
    orders: record.orders,
    questionnaires: context.questionnaires,
    coverageAssertionIds: context.coverageAssertionIds,
  }));
  if (!forms.length) throw new Error(notes.join(' ') || 'The payer needs no documentation for this order.');
  const prepared = [];
  for (const form of forms) prepared.push(await prepareForm(client, form, record.patient, record.orders));
  await buildForm({ questionnaire: prepared[0].questionnaire, questionnaireResponse: prepared[0].response, terminologyServerUrl: config.payerFhirBase });
  return { client, context, record, payer, forms: prepared, notes, saved: {} };
}

function currentFilled(form) {
  const filled = getResponse();
  return removeInternalIdsFromResponse(form.questionnaire, removeEmptyAnswersFromResponse(form.questionnaire, filled));
}

function App() {
  const [phase, setPhase] = useState('loading');
  const [error, setError] = useState(null);
  const [session, setSession] = useState(null);
  const [choice, setChoice] = useState(null);
  const [formIndex, setFormIndex] = useState(0);
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);
  // Questions still open when the clinician pressed Submit (nothing was sent).
  const [open, setOpen] = useState([]);
  // The payer has answered: the request exists, and another press would file a second one.
  const [decided, setDecided] = useState(false);
  // The request last sent and the answers it carried: a retry with the same answers (after a
  // network failure the payer may still have recorded it) resends the same Bundle, which the
  // payer recognises by its identifier instead of filing a duplicate.
  const lastSent = useRef(null);
  const outcomeRef = useRef(null);
  const openRef = useRef(null);
  const formRef = useRef(null);
  // A question (or a form as a whole) to take the focus to once its form is on screen.
  const pendingFocus = useRef(null);
  const queryClient = useRendererQueryClient();

  // Pressing a button disables it while busy, which drops keyboard focus to the page: focus goes to
  // what the press produced instead, so keyboard and screen-reader users land on it.
  useEffect(() => {
    if (open.length) openRef.current?.focus();
  }, [open]);

  useEffect(() => {
    const target = pendingFocus.current;
    if (!target || target.form !== formIndex || !formRef.current) return;
    pendingFocus.current = null;
    // The renderer draws the new form after this commit: wait a frame for its items.
    requestAnimationFrame(() => focusTarget(target));
  }, [formIndex]);

  function focusTarget(target) {
    if (target.linkId && focusQuestion(formRef.current, target.linkId)) return;
    formRef.current?.querySelector('input:not([type="hidden"]), select, textarea, button')?.focus();
  }

  // An open question's link: to the question's control, switching questionnaires first if needed.
  async function goToQuestion(event, question) {
    event.preventDefault();
    if (question.form === formIndex) {
      focusTarget(question);
      return;
    }
    pendingFocus.current = question;
    await switchForm(question.form);
  }

  useEffect(() => {
    let cancelled = false;
    (async () => {
      let client;
      let payerSession;
      try {
        const sessions = await connect(config);
        if (!sessions) return; // on the way to the payer's sign-in page
        ({ ehr: client, payer: payerSession } = sessions);
      } catch (failure) {
        if (cancelled) return;
        if (failure instanceof SignInError) {
          setError(failure.message);
          setPhase('error');
        } else {
          setPhase('not-launched');
        }
        return;
      }

      try {
        const context = readLaunchContext(client.state.tokenResponse);
        if (!context.orders.length) {
          const open = await findOpenOrders(client, client.patient.id);
          if (open.length > 1) {
            if (!cancelled) {
              setChoice({ client, payerSession, context, orders: open });
              setPhase('choose-order');
            }
            return;
          }
          if (open.length === 1) context.orders.push(referenceTo(open[0]));
        }

        const prepared = await prepareSession(client, payerSession, context);
        if (cancelled) return;
        setSession(prepared);
        setPhase('ready');
      } catch (failure) {
        if (!cancelled) {
          setError(failure.message || String(failure));
          setPhase('error');
        }
      }
    })();
    return () => { cancelled = true; };
  }, []);

  const author = useMemo(() => {
    const user = session?.client.user?.fhirUser;
    return user ? { reference: user.split('/').slice(-2).join('/') } : null;
  }, [session]);

  const responseContext = useCallback(() => ({
    subject: { reference: `Patient/${session.record.patient.id}` },
    references: [`Coverage/${session.record.coverage.id}`, ...session.record.orders.map(o => `${o.resourceType}/${o.id}`)],
  }), [session]);

  // The responses of every form: the one on screen from the renderer, the others as last left.
  const finishedResponses = useCallback(status => session.forms.map((form, index) => {
    const filled = index === formIndex ? currentFilled(form) : (form.lastFilled || form.response);
    return finishResponse({ filled, form: { ...form, questionnaire: form.original }, prefilled: form.prefilled, context: responseContext(), author, status });
  }), [session, formIndex, responseContext, author]);

  async function chooseOrder(order) {
    const { client, payerSession, context } = choice;
    setPhase('loading');
    try {
      setSession(await prepareSession(client, payerSession, { ...context, orders: [referenceTo(order)] }));
      setPhase('ready');
    } catch (failure) {
      setError(failure.message || String(failure));
      setPhase('error');
    }
  }

  async function switchForm(index) {
    const invalid = questionnaireResponseStore.getState().invalidItems;
    const forms = session.forms.map((form, i) => (i === formIndex ? { ...form, lastFilled: currentFilled(form), lastInvalid: invalid } : form));
    setSession({ ...session, forms });
    await buildForm({ questionnaire: forms[index].questionnaire, questionnaireResponse: forms[index].lastFilled || forms[index].response, terminologyServerUrl: config.payerFhirBase });
    setFormIndex(index);
  }

  async function saveToEhr() {
    setBusy(true);
    setStatus('Saving to the EHR…');
    try {
      const responses = finishedResponses('completed');
      const saved = { ...session.saved };
      for (let i = 0; i < responses.length; i++) {
        const created = await session.client.create(responses[i]);
        saved[i] = created.id;
      }
      setSession({ ...session, saved });
      setStatus(`Saved to the EHR: ${Object.values(saved).map(id => `QuestionnaireResponse/${id}`).join(', ')}.`);
    } catch (failure) {
      setStatus(`Not saved: the EHR refused the response (${failure.message || failure}).`);
    } finally {
      setBusy(false);
      outcomeRef.current?.focus();
    }
  }

  async function submit() {
    if (decided) return;
    const store = questionnaireResponseStore.getState();
    const missing = openQuestionsOfForms(session.forms, formIndex, store.invalidItems);
    if (missing.length) {
      store.highlightRequiredItems();
      setStatus('');
      setOpen(missing);
      return;
    }

    setOpen([]);
    setBusy(true);
    setStatus('Submitting the prior authorization request…');
    try {
      const finished = finishedResponses('completed');
      const answers = JSON.stringify(finished.map(({ authored, ...rest }) => rest));
      if (lastSent.current?.answers !== answers) {
        const responses = finished.map((response, i) => ({ ...response, id: session.saved[i] || crypto.randomUUID() }));
        lastSent.current = { answers, bundle: buildPasBundle({ ehrBase: session.client.state.serverUrl.replace(/\/$/, ''), record: session.record, responses }) };
      }
      const answer = await session.payer.submit(lastSent.current.bundle);
      setStatus(describeDecision(readDecision(answer)));
      setDecided(true);
    } catch (failure) {
      setStatus(`Not submitted: ${failure.message || failure}`);
    } finally {
      setBusy(false);
      outcomeRef.current?.focus();
    }
  }

  const patient = session?.record.patient;
  const payerName = session?.record.insurer?.name || 'the payer';
  const form = session?.forms[formIndex];
  return (
    <>
      <header className="banner">
        <p className="app-name">SpinePolicy · Documentation for prior authorization</p>
        {patient && <p className="patient">Patient: {nameOf(patient)}{patient.birthDate ? ` · born ${patient.birthDate}` : ''}</p>}
      </header>
      <main id="main">
        <h1>{form ? form.original.title || 'Questionnaire' : 'Prior authorization documentation'}</h1>
        {phase === 'loading' && <p role="status">Loading the patient's record and the payer's questionnaire…</p>}
        {phase === 'not-launched' && (
          <p role="status">This app opens from your EHR. <a href="/dtr/launch">Start it from here</a> if your EHR supports standalone launch.</p>
        )}
        {phase === 'error' && <p role="alert" className="error">{error}</p>}
        {phase === 'choose-order' && (
          <section aria-labelledby="choose-order">
            <h2 id="choose-order">Which order is this documentation for?</h2>
            <ul className="order-choices">
              {choice.orders.map(order => (
                <li key={referenceTo(order)}>
                  <button type="button" className="secondary" onClick={() => chooseOrder(order)}>{describeOrder(order)}</button>
                </li>
              ))}
            </ul>
          </section>
        )}
        {phase === 'ready' && (
          <>
            {session.forms.length > 1 && (
              <nav aria-label="Questionnaires">
                <ul className="form-tabs">
                  {session.forms.map((f, i) => (
                    <li key={f.original.url}>
                      <button type="button" aria-current={i === formIndex ? 'page' : undefined} onClick={() => switchForm(i)}>{f.original.title}</button>
                    </li>
                  ))}
                </ul>
              </nav>
            )}
            {open.length > 0 && (
              <div role="alert" className="open-questions" tabIndex={-1} ref={openRef}>
                <p className="error">Not submitted: answer {open.length === 1 ? 'this question' : `these ${open.length} questions`} first (marked in the form).</p>
                <ul>
                  {open.map(question => (
                    <li key={question.key}>
                      <a href="#main" onClick={event => goToQuestion(event, question)}>{question.text}</a>
                    </li>
                  ))}
                </ul>
              </div>
            )}
            <PrefilledAnswers lines={describePrefilled(form.original, form.prefilled)} payerName={payerName} />
            {form.problems.length > 0 && <p className="note">Some of the record could not be read, so fewer answers are pre-filled ({form.problems.length} problem(s)).</p>}
            <section aria-label="Questionnaire" className="form" ref={formRef}>
              <FormRenderer queryClient={queryClient} />
            </section>
            <div className="actions">
              <button type="button" className="secondary" disabled={busy} onClick={saveToEhr}>Save to EHR</button>
              <button type="button" className="primary" disabled={busy || decided} onClick={submit}>Submit prior authorization</button>
            </div>
            {decided && <p className="note">This request has been sent to the payer and answered. To send another, start again from your EHR.</p>}
          </>
        )}
        <div role="status" aria-live="polite" aria-atomic="true" className="outcome" data-testid="outcome" tabIndex={-1} ref={outcomeRef}>{status}</div>
      </main>
    </>
  );
}

function nameOf(patient) {
  const name = patient.name?.[0];
  if (!name) return 'unnamed';
  return name.text || [...(name.given || []), name.family].filter(Boolean).join(' ');
}

createRoot(document.getElementById('root')).render(<App />);
