using Hl7.Fhir.Model;

namespace SpinePolicy.PriorAuthorization.Response;

/// <summary>
/// A pas-response-bundle (or inquiry response): the ClaimResponse first, then the Patient, insurer and
/// requestor it references, echoed from the request under their original fullUrls so that every
/// reference resolves inside the Bundle.
/// </summary>
internal static class PasResponseBundleBuilder
{
    public static Bundle Build(ClaimResponse response, Bundle request, string fhirBase, DateTimeOffset now, bool inquiry = false)
    {
        var bundle = new Bundle
        {
            Id = Guid.NewGuid().ToString("N"),
            Meta = new Meta { Profile = [inquiry ? PasCodes.InquiryResponseBundleProfile : PasCodes.ResponseBundleProfile] },
            Type = Bundle.BundleType.Collection,
            TimestampElement = new Instant(now),
        };
        if (request.Identifier is { } identifier)
        {
            bundle.Identifier = (Identifier)identifier.DeepCopy();
        }

        if (inquiry)
        {
            response = (ClaimResponse)response.DeepCopy();
            response.Meta ??= new Meta();
            response.Meta.Profile = [PasCodes.ClaimInquiryResponseProfile];
        }

        bundle.Entry.Add(new Bundle.EntryComponent { FullUrl = $"{fhirBase}/ClaimResponse/{response.Id}", Resource = response });
        foreach (var reference in new[] { response.Patient?.Reference, response.Insurer?.Reference, response.Requestor?.Reference })
        {
            if (reference is null || bundle.Entry.Any(e => e.FullUrl == reference))
            {
                continue;
            }

            var echoed = request.Entry.FirstOrDefault(e => e.FullUrl == reference);
            if (echoed?.Resource is not null)
            {
                bundle.Entry.Add(new Bundle.EntryComponent { FullUrl = echoed.FullUrl, Resource = (Resource)echoed.Resource.DeepCopy() });
            }
        }

        return bundle;
    }
}
