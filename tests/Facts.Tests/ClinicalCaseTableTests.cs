using System.Globalization;
using System.Net;
using System.Text.Json;
using Hl7.Fhir.Model;
using SpinePolicy.Facts.Tests.Support;
using SpinePolicy.Fhir.CoverageInformation;
using Xunit.Abstractions;

namespace SpinePolicy.Facts.Tests;

/// <summary>
/// The clinical reviewer's case table (ClinicalCases): each case, written from the policy text, through the real
/// endpoints — CRD order-sign, DTR $next-question, PAS Claim/$submit and then $inquire — on the same
/// facts, each answer compared with what the text says.
/// </summary>
public sealed class ClinicalCaseTableTests : IClassFixture<ClinicalCaseTableTests.Server>
{
    private readonly ThreeSlices _slices;
    private readonly ITestOutputHelper _output;

    public ClinicalCaseTableTests(Server server, ITestOutputHelper output)
    {
        _slices = server.Slices;
        _output = output;
    }

    public static TheoryData<string> Ids()
    {
        var data = new TheoryData<string>();
        foreach (var c in ClinicalCases.All)
        {
            data.Add(c.Id);
        }

        return data;
    }

    [Theory]
    [Trait("Clause", "Table")]
    [MemberData(nameof(Ids))]
    public async System.Threading.Tasks.Task Case_ThroughCrdDtrAndPas_AnswersAsThePolicyTextSays(string id)
    {
        var c = ClinicalCases.All.Single(x => x.Id == id);
        var member = c.Member with { Id = $"m-{Guid.NewGuid():N}"[..20] };
        var index = c.Orders.ToList().FindIndex(o => o.Id == c.JudgedId);
        var problems = new List<string>();

        foreach (var (orders, makeForm) in c.Before)
        {
            var earlier = makeForm?.Invoke(_slices.Policy, _slices.Catalog);
            var (status, _) = await _slices.SubmitAsync(PasBundle.For(member, orders, earlier is null ? [] : [earlier.Build(member, orders)]));
            Assert.Equal(HttpStatusCode.OK, status);
        }

        var (crdStatus, crd) = await _slices.OrderSignAsync(member, [.. c.Orders]);
        Assert.Equal(HttpStatusCode.OK, crdStatus);
        var information = CoverageInformationOf(crd, c.JudgedId);
        var cards = crd.GetProperty("cards").EnumerateArray().Select(x => x.GetProperty("summary").GetString() + " / " + (x.TryGetProperty("detail", out var d) ? d.GetString() : string.Empty)).ToList();
        Check(problems, "CRD covered", c.Expected.CrdCovered, information.GetValueOrDefault("covered"));
        Check(problems, "CRD pa-needed", c.Expected.CrdPaNeeded, information.GetValueOrDefault("pa-needed"));
        if (c.Expected.CrdCard is { } card && !cards.Any(s => s.Contains(card, StringComparison.Ordinal)))
        {
            problems.Add($"CRD: no card says '{card}'");
        }

        // DTR's package serves the questionnaires CRD pointed to, and no other (one coverage engine).
        var crdQuestionnaires = CoverageInformationById(crd).Values.Select(i => i.GetValueOrDefault("questionnaire")).OfType<string>().Where(q => q.Length > 0).ToHashSet(StringComparer.Ordinal);
        var (packageStatus, package) = await _slices.PackageAsync(member, c.Orders);
        if (packageStatus == HttpStatusCode.UnprocessableEntity && package is OperationOutcome)
        {
            // No questionnaire applies: the package says so (422, the reasons as issues).
            if (crdQuestionnaires.Count > 0)
            {
                problems.Add($"DTR package served none, CRD pointed to [{string.Join(", ", crdQuestionnaires)}]");
            }
        }
        else if (packageStatus != HttpStatusCode.OK)
        {
            problems.Add($"DTR $questionnaire-package answered {(int)packageStatus}");
        }
        else
        {
            var served = (package as Parameters)?.Parameter.Select(p => p.Resource).OfType<Bundle>()
                .SelectMany(b => b.Entry.Select(e => e.Resource).OfType<Questionnaire>()).Select(q => $"{q.Url}|{q.Version}").ToHashSet(StringComparer.Ordinal) ?? [];
            if (!served.SetEquals(crdQuestionnaires))
            {
                problems.Add($"DTR package served [{string.Join(", ", served)}], CRD pointed to [{string.Join(", ", crdQuestionnaires)}]");
            }
        }

        var form = c.Form?.Invoke(_slices.Policy, _slices.Catalog);
        string dtrReason = string.Empty;
        if (form is not null && c.Expected.Dtr is { } dtrExpected)
        {
            var (dtrStatus, dtr) = await _slices.NextQuestionAsync(form.Build(member, [.. c.Orders], containPatient: true));
            if (dtrStatus != HttpStatusCode.OK)
            {
                problems.Add($"DTR answered {(int)dtrStatus}");
            }
            else
            {
                var dtrInformation = Answers.CoverageInformation(dtr);
                dtrReason = dtrInformation.GetValueOrDefault("reason") ?? string.Empty;
                Check(problems, "DTR covered", dtrExpected, dtrInformation.GetValueOrDefault("covered"));
                if (c.Expected.Says is { } says && !dtrReason.Contains(says, StringComparison.Ordinal))
                {
                    problems.Add($"DTR reason does not say '{says}': {dtrReason}");
                }
            }
        }

        var claimIdentifier = $"PA-{Guid.NewGuid():N}";
        var bundle = PasBundle.For(member, [.. c.Orders], form is null ? [] : [form.Build(member, [.. c.Orders])], claimIdentifier: claimIdentifier);
        var (pasStatus, pas) = await _slices.SubmitAsync(bundle);
        string notes = string.Empty;
        if (pasStatus != HttpStatusCode.OK)
        {
            problems.Add($"PAS answered {(int)pasStatus}: {(pas as OperationOutcome)?.Issue.FirstOrDefault()?.Diagnostics}");
        }
        else
        {
            var actions = Answers.Actions(pas);
            notes = Answers.Notes(pas) + Environment.NewLine + ItemNotes(Answers.ClaimResponse(pas));
            Check(problems, "PAS action", c.Expected.Pas, actions[index]);
            if (c.Expected.Says is { } says && !notes.Contains(says, StringComparison.Ordinal))
            {
                problems.Add($"PAS notes do not say '{says}'");
            }

            var inquiry = PasBundle.For(member, [.. c.Orders], form is null ? [] : [form.Build(member, [.. c.Orders])], claimIdentifier: claimIdentifier);
            ((Claim)inquiry.Entry[0].Resource!).Meta = new Meta { Profile = ["http://hl7.org/fhir/us/davinci-pas/StructureDefinition/profile-claim-inquiry"] };
            var (inquireStatus, inquired) = await _slices.PostAsync("/fhir/Claim/$inquire", inquiry);
            if (inquireStatus != HttpStatusCode.OK)
            {
                problems.Add($"$inquire answered {(int)inquireStatus}");
            }
            else
            {
                Check(problems, "$inquire actions", string.Join(",", actions), string.Join(",", Answers.Actions(inquired)));
            }
        }

        _output.WriteLine($"{c.Id} [{c.Clause}] {c.Facts}");
        _output.WriteLine($"  CRD {information.GetValueOrDefault("covered")}/{information.GetValueOrDefault("pa-needed")}; cards: {string.Join(" || ", cards)}");
        _output.WriteLine($"  DTR {dtrReason}");
        _output.WriteLine($"  PAS {notes}");
        Assert.True(problems.Count == 0, $"{c.Id} [{c.Clause}] {c.Facts}: {string.Join("; ", problems)}");
    }

    private static void Check(List<string> problems, string what, string? expected, string? actual)
    {
        if (expected is not null && expected != actual)
        {
            problems.Add($"{what} {actual ?? "(none)"}, expected {expected}");
        }
    }

    private static string ItemNotes(ClaimResponse response) =>
        string.Join(Environment.NewLine, response.Item.SelectMany(i => i.Adjudication).Select(a => a.Reason?.Text ?? string.Empty)
            .Concat(response.Item.SelectMany(i => i.Extension).SelectMany(e => e.Extension.Append(e)).Select(e => e.Value switch
            {
                FhirString s => s.Value,
                CodeableConcept cc => cc.Text ?? string.Join(",", cc.Coding.Select(x => x.Display)),
                _ => string.Empty,
            })));

    /// <summary>CRD's coverage-information on the updated order with this id (code → value).</summary>
    private static Dictionary<string, string> CoverageInformationOf(JsonElement hookResponse, string orderId) =>
        CoverageInformationById(hookResponse).GetValueOrDefault(orderId) ?? [];

    private static Dictionary<string, Dictionary<string, string>> CoverageInformationById(JsonElement hookResponse)
    {
        var found = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        foreach (var action in hookResponse.GetProperty("systemActions").EnumerateArray())
        {
            var resource = (DomainResource)SpinePolicy.Fhir.FhirJson.ParseElement(action.GetProperty("resource"));

            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var part in resource.Extension.Where(e => e.Url == CoverageInformationExtension.Url).SelectMany(e => e.Extension))
            {
                values[part.Url ?? string.Empty] = part.Value switch
                {
                    Code code => code.Value,
                    Coding coding => coding.Code,
                    CodeableConcept concept => concept.Text,
                    FhirString s => s.Value,
                    _ => part.Value?.ToString(),
                } ?? string.Empty;
            }

            found[resource.Id ?? string.Empty] = values;
        }

        return found;
    }

    public sealed class Server : IDisposable
    {
        public ThreeSlices Slices { get; } = new();

        public void Dispose() => Slices.Dispose();
    }
}
