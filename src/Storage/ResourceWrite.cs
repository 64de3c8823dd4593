using Hl7.Fhir.Model;

namespace SpinePolicy.Storage;

/// <summary>
/// One resource to write. <see cref="UniqueKey"/>, when set, must be unique among current resources of
/// the type: a second write with the same key is refused with <see cref="DuplicateKeyException"/>
/// (how idempotent submits survive two identical requests racing). <see cref="IfMatchVersion"/>
/// makes an update conditional (a stale version gets <see cref="VersionConflictException"/>).
/// </summary>
public sealed record ResourceWrite(Resource Resource, string? UniqueKey = null, int? IfMatchVersion = null);
