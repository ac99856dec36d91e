using BotEngine.Engine.Files;
using System.Security.Claims;
using BotEngine.Bot.Auth;
using BotEngine.Channels.DirectLine;
using BotEngine.Http;
using BotEngine.Handoff;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace BotEngine.Bot.Files;

public sealed record StoredFileDto(string Id, string Name, string ContentType, long Size, string Sha256, string Url, string Path);
