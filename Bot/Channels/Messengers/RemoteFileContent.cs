using BotEngine.Engine.Files;

namespace BotEngine.Channels.Messengers;

/// <summary>Reads a file a channel hands over by URL into a file for our store, within the engine's size limit.</summary>
public static class RemoteFileContent
{
    /// <summary>The file, or null when it is larger than <paramref name="limit"/> (by its announced length, or as it streams).</summary>
    public static async Task<NewFile?> ReadAsync(HttpResponseMessage response, RemoteFile remote, Uri uri, long limit, CancellationToken cancellationToken)
    {
        if (response.Content.Headers.ContentLength > limit)
            return null;
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var content = new MemoryStream();
        var buffer = new byte[81920];
        int read;
        while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
        {
            if (content.Length + read > limit)
                return null;
            content.Write(buffer, 0, read);
        }
        var name = FileRules.NormalizeName(remote.Name ?? Path.GetFileName(uri.AbsolutePath));
        var type = remote.ContentType ?? response.Content.Headers.ContentType?.MediaType;
        return FileRules.Create(FileRules.NewId(), name.Length > 0 ? name : "file", FileRules.NormalizeType(type), content.ToArray());
    }
}
