using Microsoft.Extensions.Options;

namespace BotEngine.Engine.Files;

/// <summary>Links to stored files: <c>/files/{id}/{name}</c>, absolute where a channel's client runs on another origin.</summary>
public sealed class FileUrls(IOptions<FilesOptions> options, IEngineRoot engineRoot)
{
    public static string PathOf(string id, string name) => $"/files/{id}/{Uri.EscapeDataString(name)}";

    /// <param name="requestOrigin">The origin the client reached the engine at, used when no public base URL is configured.</param>
    public string Absolute(string id, string name, string? requestOrigin = null) =>
        (options.Value.PublicBaseUrl ?? requestOrigin ?? engineRoot.Root()).TrimEnd('/') + PathOf(id, name);
}
