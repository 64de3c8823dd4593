using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace SpinePolicy.CdsHooks.Resolution;

/// <summary>
/// Reads from the calling EHR's FHIR server with the access token the EHR sent in
/// fhirAuthorization. The token is sent, never logged; logs carry the resource type, status and
/// timing only (a URL can name a patient).
/// </summary>
internal sealed partial class EhrFhirClient(HttpClient http, ILogger<EhrFhirClient> logger)
{
    public const string FhirJsonMediaType = "application/fhir+json";

    /// <summary>GETs <paramref name="relativeUrl"/> (a read or a search) under <paramref name="fhirServer"/>.</summary>
    public async Task<EhrFetch> GetAsync(Uri fhirServer, string accessToken, string relativeUrl, string resourceType, CancellationToken cancellationToken)
    {
        var baseUri = fhirServer.AbsoluteUri.EndsWith('/') ? fhirServer : new Uri(fhirServer.AbsoluteUri + "/");
        var target = new Uri(baseUri, relativeUrl);

        // The token is for the EHR's FHIR base only: a reference that climbs out of it ("../", an
        // absolute URL) is not fetched.
        if (!baseUri.IsBaseOf(target) || target.Authority != baseUri.Authority || target.Scheme != baseUri.Scheme)
        {
            return EhrFetch.NotFound($"the {resourceType} reference does not lie under the EHR's FHIR base");
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, target);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(FhirJsonMediaType));

        var started = Stopwatch.GetTimestamp();
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            LogFetched(logger, resourceType, (int)response.StatusCode, elapsed);
            if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Gone)
            {
                return EhrFetch.NotFound($"the EHR has no {resourceType}");
            }

            if (!response.IsSuccessStatusCode)
            {
                return EhrFetch.Unavailable($"the EHR's FHIR server answered HTTP {(int)response.StatusCode} for the {resourceType}");
            }

            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            var element = await JsonSerializer.DeserializeAsync<JsonElement>(body, cancellationToken: cancellationToken);
            return EhrFetch.Found(element);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            LogTimedOut(logger, resourceType, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            return EhrFetch.Unavailable($"the EHR's FHIR server did not answer in time for the {resourceType}");
        }
        catch (HttpRequestException ex)
        {
            LogUnreachable(logger, resourceType, ex.HttpRequestError.ToString());
            return EhrFetch.Unavailable($"the EHR's FHIR server could not be reached for the {resourceType}");
        }
        catch (JsonException)
        {
            return EhrFetch.Unavailable($"the EHR's FHIR server did not return JSON for the {resourceType}");
        }
    }

    [LoggerMessage(EventId = 2101, Level = LogLevel.Information, Message = "Fetched {ResourceType} from the EHR: HTTP {StatusCode} in {ElapsedMs:0.0} ms")]
    private static partial void LogFetched(ILogger logger, string resourceType, int statusCode, double elapsedMs);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Warning, Message = "Fetching {ResourceType} from the EHR timed out after {ElapsedMs:0.0} ms")]
    private static partial void LogTimedOut(ILogger logger, string resourceType, double elapsedMs);

    [LoggerMessage(EventId = 2103, Level = LogLevel.Warning, Message = "The EHR's FHIR server could not be reached for {ResourceType}: {Error}")]
    private static partial void LogUnreachable(ILogger logger, string resourceType, string error);
}
