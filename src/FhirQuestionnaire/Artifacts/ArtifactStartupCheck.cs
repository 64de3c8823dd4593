using Microsoft.Extensions.Hosting;

namespace SpinePolicy.FhirQuestionnaire.Artifacts;

/// <summary>
/// Loads the published artefacts while the host starts, so that a broken file stops start-up with
/// its message instead of failing the first DTR request.
/// </summary>
internal sealed class ArtifactStartupCheck(PublishedArtifacts artifacts) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) =>
        artifacts.Resources.Count > 0 ? Task.CompletedTask : throw new PublishedArtifactException(["No DTR artefacts were found."]);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
