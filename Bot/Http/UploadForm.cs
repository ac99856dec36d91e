using BotEngine.Engine.Files;

namespace BotEngine.Http;

/// <summary>What an upload request carried: the files, and the named non-file parts (Direct Line's <c>activity</c>).</summary>
public sealed record UploadForm(IReadOnlyList<NewFile> Files, IReadOnlyDictionary<string, string> Parts);
