using SpinePolicy.Storage.Limits;
using Task = System.Threading.Tasks.Task;

namespace SpinePolicy.Storage.Tests.Contract;

/// <summary>The shared request budgets and failed-attempt log: limits that hold for every instance on one database.</summary>
public abstract partial class StoreContractTests
{
    private static readonly DateTimeOffset WindowStart = new(2026, 12, 3, 10, 0, 0, TimeSpan.Zero);

    // The stores purge windows and attempts that ended before their clock's now. On the real clock
    // these fixed windows lie in the past, so a purge between two takes would forget what the first
    // take granted; the stores under test see the windows' own time instead.
    private static ManualClock ClockAtWindowStart() => new(WindowStart);

    [Fact]
    public async Task Budget_TwoInstancesTakingAtOnce_NeverGrantMoreThanTheLimit()
    {
        var database = await CreateDatabaseAsync();
        await using var first = await OpenAsync(database, ClockAtWindowStart());
        await using var second = await OpenAsync(database, ClockAtWindowStart());

        var grants = await Task.WhenAll(Enumerable.Range(0, 40).Select(i =>
            (i % 2 == 0 ? first : second).Budgets.TakeAsync("client:a", WindowStart, WindowStart.AddMinutes(1), wanted: 3, limit: 50, Cancel)));

        Assert.Equal(50, grants.Sum());
        Assert.All(grants, g => Assert.InRange(g, 0, 3));
    }

    [Fact]
    public async Task Budget_LastPermits_AreGrantedPartlyThenNone()
    {
        await using var store = await OpenFreshAsync(ClockAtWindowStart());

        var most = await store.Budgets.TakeAsync("client:a", WindowStart, WindowStart.AddMinutes(1), wanted: 8, limit: 10, Cancel);
        var rest = await store.Budgets.TakeAsync("client:a", WindowStart, WindowStart.AddMinutes(1), wanted: 8, limit: 10, Cancel);
        var none = await store.Budgets.TakeAsync("client:a", WindowStart, WindowStart.AddMinutes(1), wanted: 1, limit: 10, Cancel);

        Assert.Equal((8, 2, 0), (most, rest, none));
    }

    [Fact]
    public async Task Budget_PartitionsAndWindows_AreCountedApart()
    {
        await using var store = await OpenFreshAsync(ClockAtWindowStart());
        await store.Budgets.TakeAsync("client:a", WindowStart, WindowStart.AddMinutes(1), wanted: 5, limit: 5, Cancel);

        var otherClient = await store.Budgets.TakeAsync("client:b", WindowStart, WindowStart.AddMinutes(1), wanted: 5, limit: 5, Cancel);
        var nextWindow = await store.Budgets.TakeAsync("client:a", WindowStart.AddMinutes(1), WindowStart.AddMinutes(2), wanted: 5, limit: 5, Cancel);

        Assert.Equal((5, 5), (otherClient, nextWindow));
    }

    [Fact]
    public async Task Attempts_BurstFromTwoInstances_AdmitsNoMoreThanTheLimit()
    {
        var database = await CreateDatabaseAsync();
        await using var first = await OpenAsync(database, ClockAtWindowStart());
        await using var second = await OpenAsync(database, ClockAtWindowStart());

        var admissions = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            (i % 2 == 0 ? first : second).Attempts.TryBeginAsync("member-match:p", WindowStart, TimeSpan.FromMinutes(15), limit: 5, Cancel)));

        Assert.Equal(5, admissions.Count(a => a.Admitted));
    }

    [Fact]
    public async Task Attempts_FailuresCountUntilTheWindowPasses_SuccessesDoNot()
    {
        await using var store = await OpenFreshAsync(ClockAtWindowStart());
        var window = TimeSpan.FromMinutes(15);

        var failed = await store.Attempts.TryBeginAsync("member-match:p", WindowStart, window, limit: 2, Cancel);
        await store.Attempts.FailedAsync(failed.AttemptId!, Cancel);
        var succeeded = await store.Attempts.TryBeginAsync("member-match:p", WindowStart.AddSeconds(1), window, limit: 2, Cancel);
        await store.Attempts.SucceededAsync(succeeded.AttemptId!, Cancel);
        var secondFailure = await store.Attempts.TryBeginAsync("member-match:p", WindowStart.AddSeconds(2), window, limit: 2, Cancel);
        await store.Attempts.FailedAsync(secondFailure.AttemptId!, Cancel);
        var lockedOut = await store.Attempts.TryBeginAsync("member-match:p", WindowStart.AddSeconds(3), window, limit: 2, Cancel);
        var otherSubject = await store.Attempts.TryBeginAsync("member-match:q", WindowStart.AddSeconds(3), window, limit: 2, Cancel);
        var afterTheWindow = await store.Attempts.TryBeginAsync("member-match:p", WindowStart.AddSeconds(2) + window + TimeSpan.FromSeconds(1), window, limit: 2, Cancel);

        Assert.True(succeeded.Admitted);
        Assert.Equal(new AttemptAdmission(null, 2, 0, WindowStart.AddSeconds(2)), lockedOut);
        Assert.True(otherSubject.Admitted);
        Assert.True(afterTheWindow.Admitted);
    }

    [Fact]
    public async Task Attempts_InFlight_CountUntilSettled()
    {
        await using var store = await OpenFreshAsync(ClockAtWindowStart());

        var inFlight = await store.Attempts.TryBeginAsync("member-match:p", WindowStart, TimeSpan.FromMinutes(15), limit: 1, Cancel);
        var busy = await store.Attempts.TryBeginAsync("member-match:p", WindowStart, TimeSpan.FromMinutes(15), limit: 1, Cancel);
        await store.Attempts.SucceededAsync(inFlight.AttemptId!, Cancel);
        var free = await store.Attempts.TryBeginAsync("member-match:p", WindowStart, TimeSpan.FromMinutes(15), limit: 1, Cancel);

        Assert.Equal(new AttemptAdmission(null, 0, 1, null), busy);
        Assert.True(free.Admitted);
    }
}
