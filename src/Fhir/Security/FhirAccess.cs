namespace SpinePolicy.Fhir.Security;

/// <summary>
/// What an endpoint does with a resource type, in the terms SMART scopes grant: v1 "read" grants
/// <see cref="Read"/> and <see cref="Search"/>, "write" grants <see cref="Create"/> and
/// <see cref="Update"/> and <see cref="Delete"/>; v2 letters map one to one (c, r, u, d, s).
/// </summary>
public enum FhirAccess
{
    Read,
    Search,
    Create,
    Update,
    Delete,
}
