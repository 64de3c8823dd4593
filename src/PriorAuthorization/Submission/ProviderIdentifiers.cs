using Hl7.Fhir.Model;

namespace SpinePolicy.PriorAuthorization.Submission;

/// <summary>
/// The identifiers (NPIs above all) of the providers a PAS Claim names, read from the resources in
/// its Bundle: Organization, Practitioner, or PractitionerRole with its practitioner and organization.
/// </summary>
internal static class ProviderIdentifiers
{
    private const string NpiSystem = "http://hl7.org/fhir/sid/us-npi";

    /// <summary>The requesting provider's identifiers (Claim.provider).</summary>
    public static IReadOnlyList<Identifier> OfRequester(Bundle bundle, Claim claim) =>
        Of(new BundleReferenceResolver(bundle), bundle.Entry[0], claim, [claim.Provider]);

    /// <summary>
    /// The NPIs of the organizations the requester names: Claim.provider as an Organization, or a
    /// PractitionerRole's organization. A clinician's own NPI is not among them.
    /// </summary>
    public static IReadOnlyList<Identifier> OrganizationNpisOfRequester(Bundle bundle, Claim claim)
    {
        var resolver = new BundleReferenceResolver(bundle);
        var organization = resolver.ResolveResource(claim.Provider, bundle.Entry[0], claim) switch
        {
            Organization o => o,
            PractitionerRole role => resolver.ResolveResource(role.Organization, bundle.Entry[0], claim) as Organization,
            _ => null,
        };
        return organization?.Identifier.Where(i => i.System == NpiSystem && !string.IsNullOrEmpty(i.Value)).ToList() ?? [];
    }

    /// <summary>The requesting, ordering and rendering providers' identifiers (Claim.provider, careTeam, item careTeam).</summary>
    public static IReadOnlyList<Identifier> OfAllProviders(Bundle bundle, Claim claim) =>
        Of(new BundleReferenceResolver(bundle), bundle.Entry[0], claim, [claim.Provider, .. claim.CareTeam.Select(c => c.Provider)]);

    private static List<Identifier> Of(BundleReferenceResolver resolver, Bundle.EntryComponent claimEntry, Claim claim, IEnumerable<ResourceReference?> references)
    {
        var found = new List<Identifier>();
        foreach (var reference in references)
        {
            if (reference?.Identifier is { Value.Length: > 0 } logical)
            {
                found.Add(logical);
            }

            switch (resolver.ResolveResource(reference, claimEntry, claim))
            {
                case Organization organization:
                    found.AddRange(organization.Identifier);
                    break;
                case Practitioner practitioner:
                    found.AddRange(practitioner.Identifier);
                    break;
                case PractitionerRole role:
                    found.AddRange(role.Identifier);
                    foreach (var inner in new[] { role.Practitioner, role.Organization })
                    {
                        switch (resolver.ResolveResource(inner, claimEntry, claim))
                        {
                            case Organization o:
                                found.AddRange(o.Identifier);
                                break;
                            case Practitioner p:
                                found.AddRange(p.Identifier);
                                break;
                        }
                    }

                    break;
            }
        }

        return found.Where(i => !string.IsNullOrEmpty(i.System) && !string.IsNullOrEmpty(i.Value)).ToList();
    }

    /// <summary>True when the two lists share an identifier (same system and value).</summary>
    public static bool Overlap(IEnumerable<Identifier> left, IEnumerable<Identifier> right) =>
        left.Any(a => right.Any(b => a.System == b.System && a.Value == b.Value));
}
