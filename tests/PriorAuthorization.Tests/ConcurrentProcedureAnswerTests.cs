using SpinePolicy.PriorAuthorization.Tests.Support;

namespace SpinePolicy.PriorAuthorization.Tests;

/// <summary>
/// P8 from the form: a provider who answers that another procedure is done on the BVNA's day gets
/// the denial the payer gives when its own records show one (experimental and investigational,
/// naming P8); no answer leaves P8 to the records, as for a response to the form before it asked.
/// </summary>
[Collection(PasCollection.Name)]
public sealed class ConcurrentProcedureAnswerTests(PasHostFixture fixture)
{
    private readonly PasHost _host = fixture.Host;

    [Fact]
    [Trait("Clause", "P8")]
    public async Task Submit_BvnaAnsweredWithASameDayProcedure_NotCertifiedNamingP8()
    {
        var answers = Answers.AllMet("bvna").Set("bvna-concurrent-procedure", true);

        var answer = await _host.SubmitAsync(new PasRequestBuilder().Line("64628").WithAnswers(_host.Fill(answers)).Build());

        Assert.Equal("A3", answer.ActionOf(1));
        var notes = answer.NotesOf(1);
        Assert.Contains("P8", notes, StringComparison.Ordinal);
        Assert.Contains("experimental and investigational", notes, StringComparison.Ordinal);
    }

    [Theory]
    [Trait("Clause", "P8")]
    [InlineData(false)]
    [InlineData(null)]
    public async Task Submit_BvnaAnsweredNoOrNotAnswered_Certified(bool? sameDay)
    {
        var answers = Answers.AllMet("bvna");
        if (sameDay is { } value)
        {
            answers = answers.Set("bvna-concurrent-procedure", value);
        }

        var answer = await _host.SubmitAsync(new PasRequestBuilder().Line("64628").WithAnswers(_host.Fill(answers)).Build());

        Assert.Equal("A1", answer.ActionOf(1));
    }

    [Theory]
    [Trait("Clause", "P8")]
    [InlineData("MGB-MEDICARE-ADVANTAGE")]
    [InlineData("MGB-ONECARE")]
    [InlineData("MGB-SCO")]
    public async Task Submit_BvnaAnsweredNoOnTheDayOfAnEpiduralThatNeededNoAuthorization_NotCertifiedNamingP8(string plan)
    {
        // P3: on these lines an epidural needs no prior authorization, and the payer answers so (NA);
        // the request still tells the payer the injection is planned for that day.
        var member = $"member-{Guid.NewGuid():N}"[..20];
        var epidural = await _host.SubmitAsync(new PasRequestBuilder { Plan = plan, PatientId = member }.Line("62323").WithAnswers(_host.Fill(Answers.AllMet("esi"))).Build());
        Assert.Equal("NA", epidural.ActionOf(1));

        var answers = Answers.AllMet("bvna").Set("bvna-concurrent-procedure", false);
        var answer = await _host.SubmitAsync(new PasRequestBuilder { Plan = plan, PatientId = member }.Line("64628").WithAnswers(_host.Fill(answers)).Build());

        Assert.Equal("A3", answer.ActionOf(1));
        var notes = answer.NotesOf(1);
        Assert.Contains("P8", notes, StringComparison.Ordinal);
        Assert.Contains("62323 on 2026-03-02", notes, StringComparison.Ordinal);
        Assert.Contains("needed no prior authorization", notes, StringComparison.Ordinal);
    }
}
