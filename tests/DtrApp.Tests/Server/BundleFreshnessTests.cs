using System.Security.Cryptography;
using System.Text;
using SpinePolicy.TestKit;

namespace SpinePolicy.DtrApp.Tests.Server;

/// <summary>
/// The committed bundle (src/DtrApp/wwwroot) was built from the committed sources: build.mjs
/// writes a hash of its inputs to build-stamp.txt; this recomputes it the same way, so a change to
/// the app's sources or lock file without `npm run build` fails here (no Node needed).
/// </summary>
public sealed class BundleFreshnessTests
{
    private static readonly string Client = Path.Combine(RepositoryPaths.Root, "src", "DtrApp", "client");

    [Fact]
    public void CommittedBundle_ComparedWithSources_WasBuiltFromThem()
    {
        var stamp = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "src", "DtrApp", "wwwroot", "build-stamp.txt")).Trim();

        Assert.True(stamp == InputHash(), "src/DtrApp/wwwroot is stale: run `cd src/DtrApp/client && npm ci && npm run build` and commit wwwroot.");
    }

    // The same walk as build.mjs's inputHash: sorted relative paths, each path and its text (LF line endings).
    private static string InputHash()
    {
        var files = new List<string> { "build.mjs", "package.json", "package-lock.json" };
        files.AddRange(Directory.EnumerateFiles(Path.Combine(Client, "src"), "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Client, f).Replace('\\', '/')));
        files.Sort(StringComparer.Ordinal);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var file in files)
        {
            hash.AppendData(Encoding.UTF8.GetBytes($"{file}\n"));
            hash.AppendData(Encoding.UTF8.GetBytes(File.ReadAllText(Path.Combine(Client, file)).Replace("\r\n", "\n", StringComparison.Ordinal)));
            hash.AppendData("\n"u8);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
