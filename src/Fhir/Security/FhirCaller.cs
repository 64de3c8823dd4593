namespace SpinePolicy.Fhir.Security;

/// <summary>
/// Who is calling the FHIR API and for whom it acts: the validated token's issuer and client id,
/// and the role and organization configuration binds them to. <see cref="Unrestricted"/> only
/// when FHIR authorization is switched off (the Development profile).
/// </summary>
public sealed record FhirCaller(string? Issuer, string? ClientId, ClientRole? Role, OrganizationIdentity? Organization, bool Unrestricted = false)
{
    /// <summary>
    /// A person signed in to an app of a provider organization (the binding reads the organization
    /// from the token): the token's user-level scopes count, since the binding already limits the
    /// caller to its organization's own records.
    /// </summary>
    public bool ActsForSignedInUser { get; init; }

    /// <summary>
    /// A payer partner: the identifiers ("system|value" parsed) its binding says that payer is known
    /// by (payer ids, NPIs, organization identifiers). A Consent presented to $member-match must name
    /// one of them as the recipient, so that a payer cannot use a consent written for another payer.
    /// Empty when the binding lists none: the recipient cannot then be checked.
    /// </summary>
    public IReadOnlyCollection<(string System, string Value)> PartnerIdentifiers { get; init; } = [];

    /// <summary>The caller of a server whose FHIR authorization is off: may do anything, owns nothing.</summary>
    public static FhirCaller Development { get; } = new(null, null, null, null, Unrestricted: true);

    /// <summary>Authenticated, but no configured binding: published artefacts and DTR operations only.</summary>
    public bool IsBound => Role is not null;

    public bool IsProvider => Role == ClientRole.Provider && Organization is not null;

    /// <summary>This payer's own applications (reviewer, back office): every request is theirs to read.</summary>
    public bool IsPayerStaff => Unrestricted || Role is ClientRole.Reviewer or ClientRole.PayerAdministration;

    /// <summary>The key the caller's submissions are filed under (its organization's), or null.</summary>
    public string? OwnerKey => IsProvider ? Organization!.Key : null;

    /// <summary>
    /// May the caller see a record filed under <paramref name="ownerKey"/>: payer staff always, a
    /// provider only its own organization's, anyone else never.
    /// </summary>
    public bool MaySee(string? ownerKey) =>
        IsPayerStaff || (IsProvider && ownerKey is not null && string.Equals(ownerKey, Organization!.Key, StringComparison.Ordinal));

    /// <summary>How logs and refusals name the caller (never a member or resource id).</summary>
    public string Describe() => Unrestricted ? "an unauthenticated development caller" : $"client '{ClientId}' of issuer '{Issuer}'";
}
