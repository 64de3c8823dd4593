import React from 'react';

// The answers the app filled before the clinician started, grouped by where they came from, so
// that the payer's draft answers are seen as the payer's and the EHR's as the record's.
export function PrefilledAnswers({ lines, payerName }) {
  if (!lines.payer.length && !lines.ehr.length) {
    return (
      <section aria-labelledby="prefilled-heading" className="panel">
        <h2 id="prefilled-heading">Pre-filled answers</h2>
        <p>Nothing could be filled in from the EHR record or the payer's draft; please answer every question.</p>
      </section>
    );
  }

  return (
    <section aria-labelledby="prefilled-heading" className="panel">
      <h2 id="prefilled-heading">Pre-filled answers</h2>
      <p>Check these before you submit; change any that are wrong.</p>
      {lines.payer.length > 0 && (
        <>
          <h3 id="payer-draft-heading">Draft answers from {payerName}</h3>
          <ul aria-labelledby="payer-draft-heading">
            {lines.payer.map(line => <li key={line.linkId}><span className="question">{line.question}</span>: <strong>{line.answer}</strong></li>)}
          </ul>
        </>
      )}
      {lines.ehr.length > 0 && (
        <>
          <h3 id="ehr-record-heading">From the patient's EHR record</h3>
          <ul aria-labelledby="ehr-record-heading">
            {lines.ehr.map(line => <li key={line.linkId}><span className="question">{line.question}</span>: <strong>{line.answer}</strong></li>)}
          </ul>
        </>
      )}
    </section>
  );
}
