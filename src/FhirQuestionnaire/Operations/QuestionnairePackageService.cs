using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SpinePolicy.Fhir;
using SpinePolicy.Fhir.Facts;
using SpinePolicy.Fhir.Http;
using SpinePolicy.Fhir.Security;
using SpinePolicy.Fhir.Telemetry;
using SpinePolicy.FhirQuestionnaire.Artifacts;
using SpinePolicy.PolicyEngine;
using SpinePolicy.PolicyEngine.Coverage;
using SpinePolicy.PolicyEngine.Facts;
using SpinePolicy.Storage;
using SpinePolicy.Storage.Auditing;

namespace SpinePolicy.FhirQuestionnaire.Operations;

/// <summary>
/// DTR 2.0.1 $questionnaire-package: for the member's Coverage and the orders, questionnaire
/// canonicals or CRD context given, one collection Bundle per questionnaire — the Questionnaire
/// first, then every Library and ValueSet it needs (value sets expanded), then a draft response
/// pre-filled with what the payer knows — plus an OperationOutcome for what could not be served.
/// </summary>
internal sealed class QuestionnairePackageService(
    Policy policy,
    PublishedArtifacts artifacts,
    CoverageEngine coverageEngine,
    UngovernedServices ungoverned,
    PackageFactsReader packageFacts,
    OrderFactsReader orderFacts,
    PackageDependencies dependencies,
    DraftResponseBuilder draftBuilder,
    IOptions<DtrOptions> options,
    PriorTreatmentFinder priorTreatments,
    ReferencedRecordReader recordReader,
    TimeProvider time,
    IServiceProvider services,
    ILogger<QuestionnairePackageService> logger)
{
    public const string BundleParameter = "PackageBundle";
    public const string OutcomeParameter = "operationOutcome";

    /// <param name="audit">Where the request's audit record learns the member (null when not audited).</param>
    /// <param name="caller">Whose earlier responses may pre-fill the package (its own organization's only).</param>
    public async Task<Parameters> PackageAsync(FhirRequestContent input, AuditSubjects? audit, FhirCaller caller, CancellationToken cancellationToken)
    {
        using var span = SpinePolicyTelemetry.Source.StartActivity("DTR questionnaire package");
        var request = packageFacts.ForThisPayer(input.Json is { } json ? PackageRequestReader.Read(json.RootElement) : PackageRequestReader.Read(input.Parsed!));
        audit?.AddPatientReference(request.Coverage.Beneficiary?.Reference);
        foreach (var sent in request.Referenced.OfType<Patient>().Concat(request.Coverage.Contained.OfType<Patient>()))
        {
            audit?.AddPatient(sent.Id);
        }

        audit?.AddCoverageAssertion(request.Context);
        var issues = new List<OperationOutcome.IssueComponent>();
        // Forms the client named by a superseded version: its copy is older than the current one
        // whatever the dates say, so changedsince never leaves them out.
        var namedSuperseded = new HashSet<string>(StringComparer.Ordinal);
        var packaged = packageFacts.Read(request);
        var (productLine, age, orders) = packaged;

        var selected = new List<SelectedQuestionnaire>();
        foreach (var canonical in request.Questionnaires)
        {
            if (Resolve(canonical, issues, namedSuperseded) is not { } questionnaire)
            {
                issues.Add(Issue(OperationOutcome.IssueSeverity.Warning, OperationOutcome.IssueType.NotFound, $"Questionnaire '{canonical}' is not one this payer publishes; it is left out."));
            }
            else if (AdaptiveQuestionnaires.StandardCanonicalOf(questionnaire) is { } standard && artifacts.Find(standard) is { } standardForm)
            {
                // A named adaptive questionnaire: the client asked for that form.
                Select(selected, standardForm, null, QuestionnaireForms.Adaptive);
            }
            else
            {
                Select(selected, questionnaire, null, QuestionnaireForms.Standard);
            }
        }

        if (request.Context is { } context)
        {
            await SelectForContextAsync(context, selected, issues, namedSuperseded, cancellationToken);
        }

        var history = await MemberHistoryAsync(request, orders, caller, cancellationToken);
        SelectForOrders(orders, new CoverageQuery(productLine, age, orders, history, packaged.Term), selected, issues);
        if (selected.Count == 0)
        {
            issues.Add(Issue(OperationOutcome.IssueSeverity.Error, OperationOutcome.IssueType.NotFound, "No questionnaire of this payer applies to the request."));
            throw new FhirHttpException(StatusCodes.Status422UnprocessableEntity, issues);
        }

        var output = new Parameters { Meta = new Meta { Profile = [DtrCanonicals.Profiles.PackageOutput] } };
        var subject = SubjectOf(request);
        var patientId = subject.Reference is { } reference && reference.StartsWith("Patient/", StringComparison.Ordinal) ? reference["Patient/".Length..] : null;
        var priorLevels = selected.Any(s => policy.FindFamilyByQuestionnaire(s.Questionnaire.Url!)?.Code == "bvna")
            ? await priorTreatments.PreviouslyTreatedLevelsAsync(patientId, caller, cancellationToken)
            : [];
        var record = recordReader.Read(request.Referenced, subject);
        foreach (var (questionnaire, orderReferences, requestedForms) in selected)
        {
            if (request.ChangedSince is { } since && !namedSuperseded.Contains(questionnaire.Url!) && !ChangedSince(questionnaire, since))
            {
                issues.Add(Issue(OperationOutcome.IssueSeverity.Information, OperationOutcome.IssueType.Informational, $"Questionnaire {questionnaire.Url}|{questionnaire.Version} and its libraries and value sets have not changed since {since:O}."));
                continue;
            }

            var facts = new DraftFacts(subject, CoverageReferenceOf(request.Coverage), orderReferences.Select(OrderReferenceOf).ToList(), AgeForDraft(age, orders, orderReferences), priorLevels, record);
            var forms = requestedForms ?? options.Value.PackageForms;
            var draft = forms == QuestionnaireForms.Adaptive ? draftBuilder.BuildAdaptive(questionnaire, facts) : draftBuilder.Build(questionnaire, facts);
            if (draft.NotPrefilled.Count > 0)
            {
                issues.Add(Issue(OperationOutcome.IssueSeverity.Information, OperationOutcome.IssueType.Informational,
                    $"Draft response for {questionnaire.Url}|{questionnaire.Version} could not pre-fill {string.Join("; ", draft.NotPrefilled)}."));
            }

            if (forms is QuestionnaireForms.Standard or QuestionnaireForms.Both)
            {
                output.Parameter.Add(new Parameters.ParameterComponent { Name = BundleParameter, Resource = BuildBundle(questionnaire, questionnaire, draft.Response) });
            }

            if (forms is QuestionnaireForms.Adaptive or QuestionnaireForms.Both)
            {
                var adaptive = forms == QuestionnaireForms.Adaptive ? draft : draftBuilder.BuildAdaptive(questionnaire, facts);
                var twin = artifacts.Find($"{questionnaire.Url}{AdaptiveQuestionnaires.Suffix}|{questionnaire.Version}")
                    ?? throw new InvalidOperationException($"The adaptive twin of {questionnaire.Url}|{questionnaire.Version} was not derived at start-up.");
                output.Parameter.Add(new Parameters.ParameterComponent { Name = BundleParameter, Resource = BuildBundle(twin, questionnaire, adaptive.Response) });
            }
        }

        if (issues.Count > 0)
        {
            output.Parameter.Add(new Parameters.ParameterComponent { Name = OutcomeParameter, Resource = new OperationOutcome { Issue = issues } });
        }

        var bundleCount = output.Parameter.Count(p => p.Name == BundleParameter);
        if (bundleCount == 0)
        {
            // Only a changedsince that every selected form predates gets here. The OperationDefinition
            // allows no 'return' Bundle and says to answer 200 that nothing changed; its output profile
            // wants one PackageBundle or more, which could only be an unchanged package, read by a
            // resuming client as a change. The answer keeps to the OperationDefinition and so does not
            // claim the profile it cannot meet (docs/conformance.md, "Not met").
            output.Meta = null;
        }

        if (span is { IsAllDataRequested: true })
        {
            span.SetTag(TelemetryTags.ProductLine, productLine);
            span.SetTag(TelemetryTags.Questionnaire, DecisionSpan.Join(selected.Select(s => $"{s.Questionnaire.Url}|{s.Questionnaire.Version}")));
            span.SetTag(TelemetryTags.Items, bundleCount);
        }

        DtrLog.PackageServed(logger, bundleCount, issues.Count);
        return output;
    }

    private async System.Threading.Tasks.Task SelectForContextAsync(string context, List<SelectedQuestionnaire> selected, List<OperationOutcome.IssueComponent> issues, HashSet<string> namedSuperseded, CancellationToken cancellationToken)
    {
        var store = services.GetService<ICoverageAssertionStore>()
            ?? throw new FhirHttpException(StatusCodes.Status503ServiceUnavailable, OperationOutcome.IssueType.Transient, "Coverage assertions cannot be looked up: no store is configured.");
        var assertion = await store.FindAsync(context, cancellationToken)
            ?? throw new FhirHttpException(StatusCodes.Status422UnprocessableEntity, OperationOutcome.IssueType.NotFound, $"Context '{context}' is not a coverage-assertion-id this payer issued.");
        // One assertion may cover several orders behind one resource (an Appointment): each line's questionnaire.
        // A context issued before a release names the form version current then: the current one serves it.
        var questionnaires = assertion.AllLines
            .Select(line => line.QuestionnaireCanonical ?? (line.CptCode is { } code ? policy.FamilyOf(code)?.Questionnaire.Versioned : null))
            .OfType<string>()
            .Select(canonical => Resolve(canonical, issues, namedSuperseded))
            .OfType<Questionnaire>()
            .ToList();
        foreach (var questionnaire in questionnaires)
        {
            Select(selected, questionnaire, assertion.OrderReference, null);
        }

        if (questionnaires.Count == 0)
        {
            issues.Add(Issue(OperationOutcome.IssueSeverity.Information, OperationOutcome.IssueType.Informational, $"Context '{context}' needs no questionnaire of this payer."));
        }
    }

    /// <summary>
    /// The member's other requests this payer holds (pending or certified), as CRD reads them, when
    /// an order is one the P2/P8 rules weigh them for: a BVNA beside a procedure held on the same
    /// day is not covered, so the package serves it no form, as CRD points to none. Only a provider
    /// or the payer's staff may have them weighed (as for the draft's prefill); null otherwise.
    /// </summary>
    private async Task<MemberHistory?> MemberHistoryAsync(PackageRequest request, IReadOnlyList<OrderedService> orders, FhirCaller caller, CancellationToken cancellationToken)
    {
        var patientId = SubjectOf(request).Reference is { } reference && reference.StartsWith("Patient/", StringComparison.Ordinal) ? reference["Patient/".Length..] : null;
        if (string.IsNullOrEmpty(patientId)
            || !orders.Any(o => OrderSetRules.ReadsHistory(policy, o.CptCode))
            || !(caller.IsPayerStaff || caller.IsProvider)
            || services.GetService<IMemberHistory>() is not { } reader)
        {
            return null;
        }

        return await reader.ReadAsync(patientId, null, HistoryViewer.Of(caller), cancellationToken);
    }

    private void SelectForOrders(IReadOnlyList<OrderedService> orders, CoverageQuery query, List<SelectedQuestionnaire> selected, List<OperationOutcome.IssueComponent> issues)
    {
        foreach (var order in orders)
        {
            var coverage = coverageEngine.Assess(query, order);
            if (coverage is null)
            {
                // P2: the payer's default for ungoverned services, as CRD and PAS state it; it asks for no documentation.
                issues.Add(Issue(OperationOutcome.IssueSeverity.Information, OperationOutcome.IssueType.Informational, $"{order.OrderId}: {ungoverned.Finding(policy, order.CptCode).Message} No questionnaire applies."));
            }
            else if (coverage.Questionnaire is { } canonical && artifacts.Find(canonical.Versioned) is { } questionnaire)
            {
                Select(selected, questionnaire, order.OrderId, null);
            }
            else
            {
                var finding = coverage.Findings.Count > 0 ? coverage.Findings[0] : null;
                var why = coverage.Coverage == CoverageStatus.Covered ? "no documentation is needed" : $"no documentation is asked: the order is {(coverage.Coverage == CoverageStatus.NotCovered ? "not covered" : "not decided on this coverage")}";
                issues.Add(Issue(OperationOutcome.IssueSeverity.Information, OperationOutcome.IssueType.Informational, $"{order.OrderId}: {why}{(finding is null ? "." : $" ({finding.Clause}: {finding.Message})")}"));
            }
        }
    }

    /// <summary>
    /// The questionnaire a canonical the client sent names. A version we published before and have
    /// since superseded gets the current version of the same form (the package holds what the payer
    /// wants filled now), with an informational issue saying so, and the standard form's url is
    /// added to <paramref name="namedSuperseded"/>; null for a canonical never ours.
    /// </summary>
    private Questionnaire? Resolve(string canonical, List<OperationOutcome.IssueComponent> issues, HashSet<string> namedSuperseded)
    {
        var resolved = artifacts.Resolve<Questionnaire>(canonical);
        if (resolved is { IsSuperseded: true })
        {
            var url = resolved.Resource.Url!;
            namedSuperseded.Add(url.EndsWith(AdaptiveQuestionnaires.Suffix, StringComparison.Ordinal) ? url[..^AdaptiveQuestionnaires.Suffix.Length] : url);
            if (!issues.Any(i => i.Diagnostics == resolved.SupersessionNote()))
            {
                issues.Add(Issue(OperationOutcome.IssueSeverity.Information, OperationOutcome.IssueType.Informational, resolved.SupersessionNote()));
            }
        }

        return resolved?.Resource;
    }

    /// <summary>
    /// The age to pre-fill: the member's age on the date of service of the first order the draft is
    /// for (today when it names none), and only when that age is certain (P1, P6).
    /// </summary>
    private int? AgeForDraft(AgeFacts age, IReadOnlyList<OrderedService> orders, IReadOnlyList<string> orderReferences)
    {
        var date = orders.FirstOrDefault(o => orderReferences.Contains(o.OrderId, StringComparer.Ordinal))?.DateOfService ?? orderFacts.Today;
        return age.On(date) is { IsExact: true } exact ? exact.Youngest : null;
    }

    /// <param name="form">The form the request named explicitly; null when the payer chose the questionnaire.</param>
    private static void Select(List<SelectedQuestionnaire> selected, Questionnaire questionnaire, string? orderReference, QuestionnaireForms? form)
    {
        var index = selected.FindIndex(s => s.Questionnaire.Url == questionnaire.Url);
        if (index < 0)
        {
            selected.Add(new SelectedQuestionnaire(questionnaire, [], form));
            index = selected.Count - 1;
        }
        else if (form is not null && selected[index].Forms != form)
        {
            // Named in both forms, or named in one and chosen by the payer: the named ones win.
            selected[index] = selected[index] with { Forms = selected[index].Forms is null ? form : QuestionnaireForms.Both };
        }

        var chosen = selected[index];

        if (orderReference is not null && !chosen.OrderReferences.Contains(orderReference, StringComparer.Ordinal))
        {
            chosen.OrderReferences.Add(orderReference);
        }
    }

    /// <summary>DTR: the draft's subject is the member: the Coverage's beneficiary, else the order's subject.</summary>
    private static ResourceReference SubjectOf(PackageRequest request)
    {
        if (request.Coverage.Beneficiary is { } beneficiary && (beneficiary.Reference is not null || beneficiary.Identifier is not null))
        {
            return (ResourceReference)beneficiary.DeepCopy();
        }

        var orderSubject = request.Orders
            .Select(o => (o.TryGetValue("subject", out var subject) ? subject : o.TryGetValue("patient", out var patient) ? patient : null) as ResourceReference)
            .FirstOrDefault(r => r?.Reference is not null);
        return orderSubject is not null
            ? (ResourceReference)orderSubject.DeepCopy()
            : new ResourceReference { Display = "The member the Coverage names" };
    }

    private static ResourceReference CoverageReferenceOf(Coverage coverage) =>
        coverage.Id is { Length: > 0 } id
            ? new ResourceReference($"Coverage/{id}")
            : new ResourceReference { Identifier = (Identifier?)coverage.Identifier.FirstOrDefault()?.DeepCopy(), Display = "The member's coverage sent with the request" };

    /// <summary>"ServiceRequest/1" as is; an order sent without an id can only be described.</summary>
    private static ResourceReference OrderReferenceOf(string orderReference) =>
        orderReference.Split('/') is [{ Length: > 0 }, { Length: > 0 }]
            ? new ResourceReference(orderReference)
            : new ResourceReference { Display = $"The {orderReference.TrimEnd('/')} sent with the request (no id)" };

    /// <param name="first">The Questionnaire the Bundle serves (the standard one or its adaptive twin).</param>
    /// <param name="standard">The standard questionnaire whose libraries and value sets the form needs.</param>
    private Bundle BuildBundle(Questionnaire first, Questionnaire standard, QuestionnaireResponse draft)
    {
        var bundle = new Bundle
        {
            Id = Guid.NewGuid().ToString("N"),
            Meta = new Meta { Profile = [DtrCanonicals.Profiles.PackageBundle] },
            Type = Bundle.BundleType.Collection,
            TimestampElement = new Instant(time.GetUtcNow()),
        };

        // DTR: the Questionnaire comes first. The published resources are shared, never copied: they
        // are only serialized (and their JSON is written once, SerializedOnce).
        Add(bundle, first);
        foreach (var dependency in dependencies.Of(standard))
        {
            Add(bundle, dependency);
        }

        bundle.Entry.Add(new Bundle.EntryComponent { FullUrl = $"urn:uuid:{Guid.NewGuid()}", Resource = draft });

        return bundle;
    }

    private bool ChangedSince(Questionnaire questionnaire, DateTimeOffset since)
    {
        var dates = dependencies.Of(questionnaire).OfType<IVersionableConformanceResource>().Append(questionnaire)
            .Select(r => DateTimeOffset.TryParse(r.Date, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var date) ? date : DateTimeOffset.MaxValue);
        return dates.Any(d => d > since);
    }

    private static void Add(Bundle bundle, Resource resource) =>
        bundle.Entry.Add(new Bundle.EntryComponent { FullUrl = $"{DtrCanonicals.Base}/{resource.TypeName}/{resource.Id}", Resource = resource });

    private static OperationOutcome.IssueComponent Issue(OperationOutcome.IssueSeverity severity, OperationOutcome.IssueType type, string message) => new()
    {
        Severity = severity,
        Code = type,
        Diagnostics = message,
    };
}
