"""Writes the benchmark request bodies in this folder (run: python3 bench/scenarios/generate.py).

Static test data, like tests/fixtures: the server parses them with the Firely SDK. Regenerate when
the CRD prefetch keys, the BVNA questionnaire or the PAS request shape change."""
import json, copy, os, uuid
OUT = os.path.dirname(os.path.abspath(__file__))
CPT = "http://www.ama-assn.org/go/cpt"
PAT = "bench-member-0001"  # outside the seeded bench-patient-NNNNNN range

def narrative(text):
    return {"status": "generated", "div": f'<div xmlns="http://www.w3.org/1999/xhtml"><p>{text}</p></div>'}

patient = {
  "resourceType": "Patient", "id": PAT,
  "meta": {"profile": ["http://hl7.org/fhir/us/core/StructureDefinition/us-core-patient"]},
  "text": narrative("Alex Q. Benchmark, male, born 1974-03-12. MRN 8675309 at Spine Clinic of Example County. Member id MGB123456789."),
  "extension": [
    {"url": "http://hl7.org/fhir/us/core/StructureDefinition/us-core-race", "extension": [
      {"url": "ombCategory", "valueCoding": {"system": "urn:oid:2.16.840.1.113883.6.238", "code": "2106-3", "display": "White"}},
      {"url": "text", "valueString": "White"}]},
    {"url": "http://hl7.org/fhir/us/core/StructureDefinition/us-core-ethnicity", "extension": [
      {"url": "ombCategory", "valueCoding": {"system": "urn:oid:2.16.840.1.113883.6.238", "code": "2186-5", "display": "Not Hispanic or Latino"}},
      {"url": "text", "valueString": "Not Hispanic or Latino"}]},
    {"url": "http://hl7.org/fhir/us/core/StructureDefinition/us-core-birthsex", "valueCode": "M"}],
  "identifier": [
    {"use": "usual", "type": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v2-0203", "code": "MR", "display": "Medical Record Number"}]}, "system": "http://hospital.example.org/mrn", "value": "8675309"},
    {"type": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v2-0203", "code": "MB", "display": "Member Number"}]}, "system": "https://spinepolicy.example.org/fhir/sid/member", "value": "MGB123456789"}],
  "active": True,
  "name": [{"use": "official", "family": "Benchmark", "given": ["Alex", "Quinn"]}],
  "telecom": [{"system": "phone", "value": "555-555-0142", "use": "home"}, {"system": "email", "value": "alex.benchmark@example.org"}],
  "gender": "male", "birthDate": "1974-03-12",
  "address": [{"use": "home", "line": ["42 Lumbar Lane", "Apt 5"], "city": "Boston", "state": "MA", "postalCode": "02114", "country": "US"}],
  "communication": [{"language": {"coding": [{"system": "urn:ietf:bcp:47", "code": "en-US", "display": "English (United States)"}]}, "preferred": True}]
}
coverage = {
  "resourceType": "Coverage", "id": "bench-coverage-0001",
  "meta": {"profile": ["http://hl7.org/fhir/us/davinci-crd/StructureDefinition/profile-coverage"]},
  "text": narrative("Commercial coverage MGB-COMMERCIAL for Alex Q. Benchmark, subscriber self, 2026."),
  "identifier": [{"system": "https://spinepolicy.example.org/fhir/sid/member", "value": "MGB123456789"}],
  "status": "active",
  "type": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "HIP", "display": "health insurance plan policy"}]},
  "subscriber": {"reference": f"Patient/{PAT}"}, "subscriberId": "MGB123456789",
  "beneficiary": {"reference": f"Patient/{PAT}"},
  "relationship": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/subscriber-relationship", "code": "self"}]},
  "period": {"start": "2026-01-01", "end": "2026-12-31"},
  "payor": [{"identifier": {"system": "https://spinepolicy.example.org/fhir/sid/payer", "value": "SPINEPOLICY-PAYER"}, "display": "SpinePolicy Health Plan"}],
  "class": [
    {"type": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/coverage-class", "code": "group"}]}, "value": "GRP-0042", "name": "Example Employer Group"},
    {"type": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/coverage-class", "code": "plan"}]}, "value": "MGB-COMMERCIAL", "name": "Commercial PPO"}]
}
practitioner = {
  "resourceType": "Practitioner", "id": "bench-practitioner-7",
  "meta": {"profile": ["http://hl7.org/fhir/us/core/StructureDefinition/us-core-practitioner"]},
  "text": narrative("Dr. Jordan Spine, interventional pain medicine, NPI 1234567893."),
  "identifier": [{"system": "http://hl7.org/fhir/sid/us-npi", "value": "1234567893"}],
  "active": True,
  "name": [{"family": "Spine", "given": ["Jordan"], "prefix": ["Dr."]}],
  "telecom": [{"system": "phone", "value": "555-555-0100", "use": "work"}],
  "address": [{"use": "work", "line": ["1 Clinic Way"], "city": "Boston", "state": "MA", "postalCode": "02114", "country": "US"}],
  "qualification": [{"code": {"coding": [{"system": "http://nucc.org/provider-taxonomy", "code": "208VP0014X", "display": "Pain Medicine, Interventional Pain Medicine"}]}}]
}
organization = {
  "resourceType": "Organization", "id": "bench-organization-3",
  "meta": {"profile": ["http://hl7.org/fhir/us/core/StructureDefinition/us-core-organization"]},
  "text": narrative("Spine Clinic of Example County, NPI 1144221847."),
  "identifier": [{"system": "http://hl7.org/fhir/sid/us-npi", "value": "1144221847"}, {"system": "urn:oid:2.16.840.1.113883.4.4", "value": "04-1234567"}],
  "active": True,
  "type": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/organization-type", "code": "prov", "display": "Healthcare Provider"}]}],
  "name": "Spine Clinic of Example County",
  "telecom": [{"system": "phone", "value": "555-555-0199", "use": "work"}],
  "address": [{"line": ["1 Clinic Way"], "city": "Boston", "state": "MA", "postalCode": "02114", "country": "US"}]
}
def service_request(cpt, display, reason):
    return {
      "resourceType": "ServiceRequest", "id": f"bench-order-{cpt}",
      "meta": {"profile": ["http://hl7.org/fhir/us/davinci-crd/StructureDefinition/profile-servicerequest"]},
      "text": narrative(f"{display} ({cpt}) for chronic low back pain, ordered by Dr. Jordan Spine."),
      "identifier": [{"system": "http://hospital.example.org/orders", "value": f"ORD-{cpt}-42"}],
      "status": "draft", "intent": "order", "priority": "routine",
      "category": [{"coding": [{"system": "http://snomed.info/sct", "code": "387713003", "display": "Surgical procedure"}]}],
      "code": {"coding": [{"system": CPT, "code": cpt, "display": display}], "text": display},
      "quantityQuantity": {"value": 1, "unit": "procedure", "system": "http://unitsofmeasure.org", "code": "1"},
      "subject": {"reference": f"Patient/{PAT}"},
      "occurrencePeriod": {"start": "2027-01-10", "end": "2027-02-10"},
      "authoredOn": "2026-11-27T09:30:00Z",
      "requester": {"reference": "Practitioner/bench-practitioner-7", "display": "Dr. Jordan Spine"},
      "performer": [{"reference": "Organization/bench-organization-3"}],
      "reasonCode": [{"coding": [{"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": reason[0], "display": reason[1]}]}],
      "insurance": [{"reference": "Coverage/bench-coverage-0001"}],
      "bodySite": [{"coding": [{"system": "http://snomed.info/sct", "code": "122496007", "display": "Lumbar spine structure"}]}],
      "note": [{"text": "Failed six months of physical therapy and NSAIDs; MRI shows Modic type 1 changes at L4-L5."}]
    }
bvna = service_request("64628", "Thermal destruction of intraosseous basivertebral nerve, first 2 vertebral bodies, lumbar or sacral", ("M54.51", "Vertebrogenic low back pain"))
inj = service_request("62324", "Injection(s), including indwelling catheter placement, continuous infusion or intermittent bolus, lumbar or sacral (caudal)", ("M54.16", "Radiculopathy, lumbar region"))

def searchset(resources):
    return {"resourceType": "Bundle", "type": "searchset", "total": len(resources),
            "entry": [{"fullUrl": f"http://127.0.0.1:5283/fhir/{r['resourceType']}/{r['id']}", "resource": r, "search": {"mode": "match"}} for r in resources]}

def bare(r):
    # EHRs commonly send CDS Hooks resources without narrative; it also keeps the request 5-8 KB.
    r = copy.deepcopy(r)
    for key in ("text", "note", "communication", "category"):
        r.pop(key, None)
    return r

def hook(order, prefetch=True):
    order = bare(order)
    h = {
      "hookInstance": "d1577c69-dfbe-44ad-ba6d-3e05e953b2ea",
      "hook": "order-sign",
      "fhirServer": "http://127.0.0.1:5283/fhir",
      "fhirAuthorization": {"access_token": "bench-opaque-token", "token_type": "Bearer", "expires_in": 300, "scope": "user/Patient.read user/Coverage.read user/Practitioner.read user/Organization.read", "subject": "spinepolicy-crd"},
      "context": {"userId": "Practitioner/bench-practitioner-7", "patientId": PAT, "encounterId": "bench-encounter-1",
                  "draftOrders": {"resourceType": "Bundle", "type": "collection", "entry": [{"resource": order}]}},
    }
    if prefetch:
        # The service's advertised prefetch (GET /cds-services): patient, coverage, and the draft
        # ServiceRequests with their requester and performer included.
        h["prefetch"] = {"patient": bare(patient), "coverage": searchset([bare(coverage)]), "serviceRequestBundle": searchset([order, bare(practitioner), bare(organization)])}
    return h

def dump(name, obj):
    with open(os.path.join(OUT, name), "w") as f:
        json.dump(obj, f, separators=(",", ":"))
        f.write("\n")
    print(name, os.path.getsize(os.path.join(OUT, name)))

dump("order-sign-bvna.json", hook(bvna))
dump("order-sign-injection.json", hook(inj))
dump("order-sign-no-prefetch.json", hook(bvna, prefetch=False))
for r in [patient, coverage, practitioner, organization, bvna]:
    dump(f"ehr/{r['resourceType']}-{r['id']}.json", r)
dump("questionnaire-package.json", {"resourceType": "Parameters", "parameter": [
    {"name": "coverage", "resource": coverage}, {"name": "order", "resource": bvna}, {"name": "referenced", "resource": patient}]})

# PAS: a pas-request-bundle as an EHR sends it after DTR (Claim first; the QuestionnaireResponse
# answering the BVNA questionnaire as an entry named by supportingInfo). "{{unique}}" makes every
# claim and bundle identifier new, so each request is decided, not replayed.
LEVELS = "https://spinepolicy.example.org/fhir/CodeSystem/vertebral-level"
BASE = "https://ehr.example.org/fhir"
q = json.load(open(os.path.join(OUT, "..", "..", "fhir-resources", "Questionnaire-bvna-097.json")))
def answers(deny):
    a = {"member-age": [{"valueInteger": 52}]}
    for code in ["bvna-chronic-low-back-pain-6-months", "bvna-failed-conservative-care-6-months", "bvna-modic-changes-l3-s1"]:
        a[code] = [{"valueBoolean": True}]
    for code in ["bvna-radicular-pain", "bvna-prior-lumbar-surgery", "bvna-symptomatic-spinal-stenosis", "bvna-spine-or-systemic-infection",
                 "bvna-osteoporosis-or-fragility-fracture", "bvna-vertebral-fracture-past-year", "bvna-spine-malignancy", "bvna-spondylolisthesis",
                 "bvna-spondylolysis", "bvna-severe-cardiopulmonary-disease", "bvna-poorly-controlled-psychiatric-disease",
                 "bvna-bedbound-or-immobilizing-neurologic-condition", "bvna-pregnancy-possible", "bvna-prior-bvna"]:
        a[code] = [{"valueBoolean": False}]
    a["bvna-bmi"] = [{"valueDecimal": 27.4}]
    a["bvna-treated-levels"] = [{"valueCoding": {"system": LEVELS, "code": "L4"}}, {"valueCoding": {"system": LEVELS, "code": "L5"}}]
    if deny:
        a["bvna-radicular-pain"] = [{"valueBoolean": True}]  # P7.1
    return a
def qr_items(items, a):
    out = []
    for it in items:
        if it["type"] == "group":
            kids = qr_items(it.get("item", []), a)
            if kids:
                out.append({"linkId": it["linkId"], "text": it.get("text"), "item": kids})
        elif it["linkId"] in a:
            out.append({"linkId": it["linkId"], "text": it.get("text"), "answer": a[it["linkId"]]})
    return [{k: v for k, v in o.items() if v is not None} for o in out]
def pas_bundle(deny):
    qr = {"resourceType": "QuestionnaireResponse", "id": "qr-1",
          "meta": {"profile": ["http://hl7.org/fhir/us/davinci-dtr/StructureDefinition/dtr-questionnaireresponse"]},
          "questionnaire": f"{q['url']}|{q['version']}", "status": "completed",
          "subject": {"reference": f"Patient/{PAT}"}, "authored": "2026-11-27T09:45:00Z",
          "author": {"reference": "Practitioner/bench-practitioner-7"},
          "item": qr_items(q["item"], answers(deny))}
    pas_patient = copy.deepcopy(patient); pas_patient["meta"] = {"profile": ["http://hl7.org/fhir/us/davinci-pas/StructureDefinition/profile-beneficiary"]}
    pas_coverage = copy.deepcopy(coverage); pas_coverage["meta"] = {"profile": ["http://hl7.org/fhir/us/davinci-pas/StructureDefinition/profile-coverage"]}
    pas_coverage["payor"] = [{"reference": "Organization/bench-insurer", "identifier": {"system": "https://spinepolicy.example.org/fhir/sid/payer", "value": "SPINEPOLICY-PAYER"}}]
    insurer = {"resourceType": "Organization", "id": "bench-insurer",
               "meta": {"profile": ["http://hl7.org/fhir/us/davinci-pas/StructureDefinition/profile-insurer"]},
               "identifier": [{"system": "http://hl7.org/fhir/sid/us-npi", "value": "1679576722"}], "active": True,
               "type": [{"coding": [{"system": "https://codesystem.x12.org/005010/98", "code": "PR"}]}], "name": "SpinePolicy Health Plan"}
    requestor = copy.deepcopy(organization); requestor["meta"] = {"profile": ["http://hl7.org/fhir/us/davinci-pas/StructureDefinition/profile-requestor"]}
    requestor["type"] = [{"coding": [{"system": "https://codesystem.x12.org/005010/98", "code": "X3"}]}]
    order = copy.deepcopy(bvna); order["status"] = "active"; order["meta"] = {"profile": ["http://hl7.org/fhir/us/davinci-pas/StructureDefinition/profile-servicerequest"]}
    claim = {"resourceType": "Claim", "id": "bench-claim",
             "meta": {"profile": ["http://hl7.org/fhir/us/davinci-pas/StructureDefinition/profile-claim"]},
             "identifier": [{"system": "https://ehr.example.org/prior-auth", "value": "PA-{{unique}}"}],
             "status": "active", "type": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/claim-type", "code": "professional"}]},
             "use": "preauthorization", "patient": {"reference": f"Patient/{PAT}"}, "created": "2026-11-27T09:50:00Z",
             "insurer": {"reference": "Organization/bench-insurer"}, "provider": {"reference": "Organization/bench-organization-3"},
             "priority": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/processpriority", "code": "normal"}]},
             "careTeam": [{"sequence": 1, "provider": {"reference": "Practitioner/bench-practitioner-7"}}],
             "supportingInfo": [{"sequence": 1, "category": {"coding": [{"system": "http://hl7.org/fhir/us/davinci-pas/CodeSystem/PASTempCodes", "code": "additionalInformation"}]},
                                 "valueReference": {"reference": "QuestionnaireResponse/qr-1"}}],
             "diagnosis": [{"sequence": 1, "diagnosisCodeableConcept": {"coding": [{"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "M54.51"}]}}],
             "insurance": [{"sequence": 1, "focal": True, "coverage": {"reference": "Coverage/bench-coverage-0001"}}],
             "item": [{"extension": [{"url": "http://hl7.org/fhir/us/davinci-pas/StructureDefinition/extension-requestedService", "valueReference": {"reference": f"ServiceRequest/{order['id']}"}}],
                       "sequence": 1, "careTeamSequence": [1], "diagnosisSequence": [1],
                       "category": {"coding": [{"system": "https://codesystem.x12.org/005010/1365", "code": "1"}]},
                       "productOrService": {"coding": [{"system": CPT, "code": "64628"}]},
                       "servicedDate": "2027-01-10", "quantity": {"value": 1}}]}
    entries = [claim, pas_patient, pas_coverage, insurer, requestor, practitioner, order, qr]
    return {"resourceType": "Bundle", "meta": {"profile": ["http://hl7.org/fhir/us/davinci-pas/StructureDefinition/profile-pas-request-bundle"]},
            "identifier": {"system": "https://ehr.example.org/bundles", "value": "B-{{unique}}"}, "type": "collection",
            "timestamp": "2026-11-27T09:50:00Z",
            "entry": [{"fullUrl": f"{BASE}/{r['resourceType']}/{r['id']}", "resource": r} for r in entries]}
# The PAS bundles name a member drawn at random per request ("{{member}}", 20,000 of them, none of
# the seeded ones). Submits read the member's history (P7.16, P8): a load run that sent every
# request for one member would give that member thousands of requests, a history no real member
# has (each decision then reads the member's newest 100 requests), and would measure that bound
# rather than a payer's traffic. The package scenario's member keeps a realistic history too.
PAS_PAT = "bench-submitter-{{member}}"
def for_pas_member(bundle):
    return json.loads(json.dumps(bundle).replace(PAT, PAS_PAT))
dump("claim-submit-approve.json", for_pas_member(pas_bundle(False)))
dump("claim-submit-deny.json", for_pas_member(pas_bundle(True)))
