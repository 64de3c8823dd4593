namespace SpinePolicy.TestKit.Validation;

/// <summary>
/// Edits made to the extracted test copy of upstream packages that the Firely validator cannot
/// compile as published. Each is documented in tests/TestKit/Validation/README.md. The tarballs in
/// tests/fhir-packages stay byte-for-byte as HL7 published them.
/// </summary>
public static class PackagePatches
{
    /// <summary>Bump when a patch changes, so cached extractions are redone.</summary>
    public const int Version = 1;

    private const string PasPackage = "hl7.fhir.us.davinci-pas-2.0.1";

    /// <summary>
    /// PAS 2.0.1 slices Claim.careTeam on
    /// <c>extension('…extension-careTeamClaimScope').value as boolean</c>. Firely cannot compile a
    /// discriminator path with a type cast; for a value discriminator on a boolean-only extension
    /// the path without the cast selects the same element, so the slicing means the same.
    /// </summary>
    private const string CareTeamDiscriminatorCast = "').value as boolean\"";

    private const string CareTeamDiscriminatorPlain = "').value\"";

    /// <summary>Applies every patch that concerns the package named (tarball name without .tgz).</summary>
    public static void Apply(string packageName, string packageFolder)
    {
        if (string.Equals(packageName, PasPackage, StringComparison.Ordinal))
        {
            PatchPasCareTeamDiscriminator(packageFolder);
        }
    }

    private static void PatchPasCareTeamDiscriminator(string packageFolder)
    {
        var patched = 0;
        foreach (var path in Directory.GetFiles(packageFolder, "StructureDefinition-profile-claim*.json"))
        {
            var json = File.ReadAllText(path);
            if (!json.Contains(CareTeamDiscriminatorCast, StringComparison.Ordinal))
            {
                continue;
            }

            File.WriteAllText(path, json.Replace(CareTeamDiscriminatorCast, CareTeamDiscriminatorPlain, StringComparison.Ordinal));
            patched++;
        }

        if (patched == 0)
        {
            throw new InvalidOperationException(
                $"The PAS careTeam discriminator patch matched no Claim profile in {packageFolder}; the package changed, review PackagePatches.");
        }
    }
}
