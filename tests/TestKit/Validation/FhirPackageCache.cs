using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;

namespace SpinePolicy.TestKit.Validation;

/// <summary>
/// Extracts the vendored IG packages (tests/fhir-packages/*.tgz) into a cache folder outside the
/// repository, once per package content, and applies <see cref="PackagePatches"/> to the copy.
/// Several test processes may start at the same time, so each package is extracted into a private
/// folder and then moved into place; whoever loses the race uses the winner's folder.
/// </summary>
public static class FhirPackageCache
{
    /// <summary>
    /// Packages deliberately left out: PAS 2.2.1 publishes the same canonical URLs as PAS 2.0.1
    /// (the version we implement), so loading both would make profile resolution depend on order.
    /// </summary>
    private static readonly string[] ExcludedPackages = ["hl7.fhir.us.davinci-pas-2.2.1.tgz"];

    /// <summary>Where extracted packages live (override with SPINEPOLICY_FHIR_PACKAGE_CACHE).</summary>
    public static string CacheRoot =>
        Environment.GetEnvironmentVariable("SPINEPOLICY_FHIR_PACKAGE_CACHE")
        ?? Path.Combine(Path.GetTempPath(), "spinepolicy-fhir-packages");

    /// <summary>Extracts (if needed) every vendored package and returns each one's <c>package/</c> folder.</summary>
    public static IReadOnlyList<string> ExtractAll()
    {
        var tarballs = Directory.GetFiles(RepositoryPaths.FhirPackages, "*.tgz")
            .Where(path => !ExcludedPackages.Contains(Path.GetFileName(path), StringComparer.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();
        if (tarballs.Count == 0)
        {
            throw new InvalidOperationException($"No FHIR packages (*.tgz) found in {RepositoryPaths.FhirPackages}.");
        }

        return tarballs.Select(Extract).ToList();
    }

    /// <summary>Extracts one package (top-level <c>package/*.json</c> only) and returns its folder.</summary>
    public static string Extract(string tarballPath)
    {
        var name = Path.GetFileNameWithoutExtension(tarballPath);
        var target = Path.Combine(CacheRoot, $"{name}-{ContentKey(tarballPath)}", "package");
        if (Directory.Exists(target))
        {
            return target;
        }

        var staging = Path.Combine(CacheRoot, $".staging-{name}-{Guid.NewGuid():N}");
        var stagingPackage = Path.Combine(staging, "package");
        Directory.CreateDirectory(stagingPackage);
        try
        {
            ExtractJsonFiles(tarballPath, stagingPackage);
            PackagePatches.Apply(name, stagingPackage);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            Directory.Move(stagingPackage, target);
        }
        catch (IOException) when (Directory.Exists(target))
        {
            // Another test process extracted the same package first; its copy is identical.
        }
        finally
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }
        }

        return target;
    }

    private static void ExtractJsonFiles(string tarballPath, string destination)
    {
        using var file = File.OpenRead(tarballPath);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var reader = new TarReader(gzip);
        while (reader.GetNextEntry() is { } entry)
        {
            // Only the conformance resources at the top of package/: the example/, xml/ and other/
            // folders hold duplicates and examples the validator must not mistake for definitions.
            var entryName = entry.Name.Replace('\\', '/');
            if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile)
                || !entryName.StartsWith("package/", StringComparison.Ordinal)
                || entryName.IndexOf('/', "package/".Length) >= 0
                || !entryName.EndsWith(".json", StringComparison.OrdinalIgnoreCase)
                || IsPackageManifest(Path.GetFileName(entryName)))
            {
                continue;
            }

            entry.ExtractToFile(Path.Combine(destination, Path.GetFileName(entryName)), overwrite: true);
        }
    }

    /// <summary>package.json and .index.json describe the package; they are not FHIR resources.</summary>
    private static bool IsPackageManifest(string fileName) =>
        fileName.StartsWith('.') || string.Equals(fileName, "package.json", StringComparison.OrdinalIgnoreCase);

    /// <summary>Changes whenever the tarball or the patches change, so a stale cache is never reused.</summary>
    private static string ContentKey(string tarballPath)
    {
        using var sha = SHA256.Create();
        using var file = File.OpenRead(tarballPath);
        var hash = sha.ComputeHash(file);
        return $"{Convert.ToHexStringLower(hash)[..16]}-p{PackagePatches.Version}";
    }
}
