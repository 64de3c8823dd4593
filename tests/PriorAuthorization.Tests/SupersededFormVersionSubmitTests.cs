using Hl7.Fhir.Model;
using SpinePolicy.PriorAuthorization.Tests.Support;

namespace SpinePolicy.PriorAuthorization.Tests;

/// <summary>
/// A PAS submission arriving after a form release still carries responses to the form its provider
/// filled before it (…/Questionnaire/bvna-097|2026.01.0, superseded by 2026.01.1, which only added
/// the optional P8 item). Each is decided exactly as the same answers under the current version:
/// the same action and the same reasons, never "a questionnaire this payer does not publish".
/// </summary>
[Collection(PasCollection.Name)]
public sealed class SupersededFormVersionSubmitTests(PasHostFixture fixture)
{
    private const string Bvna = "https://spinepolicy.example.org/fhir/Questionnaire/bvna-097";

    private readonly PasHost _host = fixture.Host;

    public static TheoryData<string, string?, string> Cases => new()
    {
        { "every criterion met", null, "A1" },
        { "an exclusion (P7.1)", "bvna-radicular-pain", "A3" },
        { "an answer missing (P7.11)", "bvna-bmi", "A4" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    [Trait("Clause", "P13")]
    public async Task Submit_BvnaAnsweredOnTheSupersededForm_DecidedAsUnderTheCurrentOne(string @case, string? changed, string action)
    {
        var answers = changed switch
        {
            null => Answers.AllMet("bvna"),
            "bvna-bmi" => Answers.AllMet("bvna").Remove(changed),
            _ => Answers.AllMet("bvna").Set(changed, true),
        };

        var current = await _host.SubmitAsync(new PasRequestBuilder().Line("64628").WithAnswers(_host.Fill(answers)).Build());
        var onTheOldForm = _host.Fill(answers);
        Assert.Equal($"{Bvna}|2026.01.1", onTheOldForm.Questionnaire);
        onTheOldForm.Questionnaire = $"{Bvna}|2026.01.0";
        var superseded = await _host.SubmitAsync(new PasRequestBuilder().Line("64628").WithAnswers(onTheOldForm).Build());

        Assert.True(superseded.Resource is Bundle, $"{@case}: {superseded.Status} {superseded.Body}");
        Assert.Equal(action, current.ActionOf(1));
        Assert.Equal(current.ActionOf(1), superseded.ActionOf(1));
        Assert.Equal(current.ReasonCodesOf(1), superseded.ReasonCodesOf(1));
        Assert.Equal(current.NotesOf(1), superseded.NotesOf(1));
    }
}
