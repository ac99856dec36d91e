using BotEngine.Storage;
using BotEngine.Storage.Files;
using Microsoft.Extensions.Options;

namespace BotEngine.Engine.Files;

/// <summary>The housekeeping job: deletes stored files nothing refers to once they are older than the grace period.</summary>
public sealed partial class FileHousekeeping(FileRows files, IOptions<FilesOptions> options, TimeProvider time, ILogger<FileHousekeeping> logger)
{
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var before = TimeExtensions.ToMicros(time.GetUtcNow() - options.Value.UnreferencedGracePeriod);
        var deleted = await files.DeleteUnreferencedAsync(before, cancellationToken);
        LogDeleted(logger, deleted, options.Value.UnreferencedGracePeriod);
        return deleted;
    }

    [LoggerMessage(EventId = 710, Level = LogLevel.Information, Message = "Housekeeping deleted {Count} unreferenced files older than {Grace}")]
    private static partial void LogDeleted(ILogger logger, int count, TimeSpan grace);
}
