using Hl7.Fhir.Model;
using SpinePolicy.PriorAuthorization.Clocks;

namespace SpinePolicy.PriorAuthorization.Tests;

/// <summary>When a decision is due: Claim.priority picks the clock, the options set its length.</summary>
public sealed class DecisionDeadlineTests
{
    [Theory]
    [InlineData("stat", RequestUrgency.Urgent)]
    [InlineData("normal", RequestUrgency.Standard)]
    [InlineData("deferred", RequestUrgency.Standard)]
    [InlineData(null, RequestUrgency.Standard)]
    public void DecisionDeadline_ClaimPriority_DecidesTheClock(string? priority, RequestUrgency expected)
    {
        var claim = new Claim();
        if (priority is not null)
        {
            claim.Priority = new CodeableConcept(DecisionDeadline.PrioritySystem, priority);
        }

        var deadline = new DecisionDeadline(new DecisionDeadlineOptions());
        var received = new DateTimeOffset(2026, 3, 2, 9, 30, 0, TimeSpan.Zero);

        Assert.Equal(expected, DecisionDeadline.UrgencyOf(claim));
        Assert.Equal(received + (expected == RequestUrgency.Urgent ? TimeSpan.FromHours(72) : TimeSpan.FromDays(7)), deadline.DueBy(received, claim));
    }

    [Fact]
    public void DecisionDeadline_ConfiguredDurations_Used()
    {
        var deadline = new DecisionDeadline(new DecisionDeadlineOptions { Urgent = TimeSpan.FromHours(24), Standard = TimeSpan.FromDays(14) });
        var received = new DateTimeOffset(2026, 3, 2, 9, 30, 0, TimeSpan.Zero);

        Assert.Equal(received.AddHours(24), deadline.DueBy(received, RequestUrgency.Urgent));
        Assert.Equal(received.AddDays(14), deadline.DueBy(received, RequestUrgency.Standard));
    }
}
