using BotEngine.Http;
using System.Security.Claims;
using System.Text.Encodings.Web;
using System.Text.Json.Serialization;
using BotEngine.Engine.Desk;
using BotEngine.Storage;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace BotEngine.Bot.Auth;

/// <summary>What a valid token says: whose it is and which of their sessions' versions.</summary>
public sealed record OperatorSession(string OperatorId, long Version);
