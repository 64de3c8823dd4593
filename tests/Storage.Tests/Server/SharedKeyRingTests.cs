using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using SpinePolicy.Storage.Keys;
using SpinePolicy.TestKit;
using SpinePolicy.TestKit.Postgres;
using Task = System.Threading.Tasks.Task;

namespace SpinePolicy.Storage.Tests.Server;

/// <summary>
/// Two instances starting at once on an empty database take one Data Protection key. Each used to
/// find the ring empty and make its own: the instance that loaded its ring before the other's key
/// was stored never knew that key (Data Protection re-reads the ring for an unknown key only in an
/// instance's first two minutes, else once a day), so the cookies and review forms the other
/// instance protected with it were refused there.
/// </summary>
public sealed class SharedKeyRingTests
{
    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task Startup_TwoInstancesOnAnEmptyDatabase_OneKeyBothProtectWithIt(string provider)
    {
        // Both instances read the empty ring before either stores a key: the race of a first deploy.
        var bothRead = new Barrier();
        var settings = new Dictionary<string, string?>();
        if (provider == "Postgres")
        {
            settings["Storage:Provider"] = "Postgres";
            settings["Storage:Postgres:ConnectionString"] = await PostgresCluster.CreateSharedDatabaseAsync();
        }

        await using var first = new SpinePolicyApp(settings) { TestServices = services => ReadsMeetAt(services, bothRead) };
        if (provider == "Sqlite")
        {
            settings["Storage:Sqlite:Path"] = first.DatabasePath;
        }

        await using var second = new SpinePolicyApp(settings) { TestServices = services => ReadsMeetAt(services, bothRead) };

        await Task.WhenAll(Task.Run(() => first.Services), Task.Run(() => second.Services));

        var stored = await first.Services.GetRequiredService<IDataProtectionKeyStore>().ReadAllAsync(CancellationToken.None);
        var byFirst = Protect(first);
        var bySecond = Protect(second);
        Assert.Single(stored);
        Assert.Equal(KeyOf(byFirst), KeyOf(bySecond));
        Assert.Equal([1, 2, 3], Protector(second).Unprotect(byFirst));
        Assert.Equal([1, 2, 3], Protector(first).Unprotect(bySecond));
    }

    private static IDataProtector Protector(SpinePolicyApp app) =>
        app.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("SharedKeyRingTests");

    private static byte[] Protect(SpinePolicyApp app) => Protector(app).Protect([1, 2, 3]);

    // A protected payload: a 4-byte magic header, then the id of the key it was protected with.
    private static Guid KeyOf(byte[] payload) => new(payload.AsSpan(4, 16));

    private static void ReadsMeetAt(IServiceCollection services, Barrier barrier)
    {
        var registered = services.Single(d => d.ServiceType == typeof(IDataProtectionKeyStore));
        services.Remove(registered);
        services.AddSingleton(registered.ImplementationType!);
        services.AddSingleton<IDataProtectionKeyStore>(provider =>
            new MeetingKeyStore((IDataProtectionKeyStore)provider.GetRequiredService(registered.ImplementationType!), barrier));
    }

    /// <summary>Lets two parties through once both have arrived (or after a few seconds, so a test never hangs).</summary>
    private sealed class Barrier
    {
        private readonly TaskCompletionSource _both = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _arrived;

        public Task ArriveAsync()
        {
            if (Interlocked.Increment(ref _arrived) == 2)
            {
                _both.TrySetResult();
            }

            return _both.Task.WaitAsync(TimeSpan.FromSeconds(10)).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    /// <summary>The instance's key store, whose first read waits until the other instance has read too.</summary>
    private sealed class MeetingKeyStore(IDataProtectionKeyStore inner, Barrier barrier) : IDataProtectionKeyStore
    {
        private int _reads;

        public async Task<IReadOnlyList<string>> ReadAllAsync(CancellationToken cancellationToken)
        {
            var documents = await inner.ReadAllAsync(cancellationToken);
            if (Interlocked.Increment(ref _reads) == 1)
            {
                await barrier.ArriveAsync();
            }

            return documents;
        }

        public Task StoreAsync(string name, string xml, CancellationToken cancellationToken) => inner.StoreAsync(name, xml, cancellationToken);

        public Task<bool> StoreFirstAsync(string name, string xml, CancellationToken cancellationToken) => inner.StoreFirstAsync(name, xml, cancellationToken);
    }
}
