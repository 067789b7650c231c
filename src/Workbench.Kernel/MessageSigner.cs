using System.Security.Cryptography;

namespace Workbench.Kernel;

/// <summary>
/// Signs and checks Jupyter messages: the HMAC (of the scheme the connection file names) over the header, parent
/// header, metadata and content frames, as lower-case hex. Checking is constant-time; an empty signature never passes.
/// </summary>
public sealed class MessageSigner
{
    private readonly byte[] _key;
    private readonly HashAlgorithmName _algorithm;

    /// <summary>The schemes a connection file may name.</summary>
    public static IReadOnlyList<string> Schemes { get; } = ["hmac-sha256", "hmac-sha384", "hmac-sha512", "hmac-sha1"];

    /// <summary>A signer for <paramref name="scheme"/> (e.g. <c>hmac-sha256</c>) with the UTF-8 bytes of <paramref name="key"/>.</summary>
    public MessageSigner(string scheme, string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length == 0)
        {
            throw new ArgumentException("the signing key must not be empty", nameof(key));
        }

        _algorithm = Algorithm(scheme) ?? throw new ArgumentException($"unsupported signature scheme '{scheme}'", nameof(scheme));
        _key = System.Text.Encoding.UTF8.GetBytes(key);
    }

    /// <summary>True when <paramref name="scheme"/> is one of <see cref="Schemes"/>.</summary>
    public static bool IsSupported(string? scheme) => Algorithm(scheme) is not null;

    /// <summary>The hex signature of the four signed frames.</summary>
    public string Sign(ReadOnlySpan<byte> header, ReadOnlySpan<byte> parentHeader, ReadOnlySpan<byte> metadata, ReadOnlySpan<byte> content) =>
        Convert.ToHexStringLower(Mac(header, parentHeader, metadata, content));

    /// <summary>True when <paramref name="signature"/> (hex, as received) is the signature of the four frames.</summary>
    public bool Verify(ReadOnlySpan<byte> signature, ReadOnlySpan<byte> header, ReadOnlySpan<byte> parentHeader, ReadOnlySpan<byte> metadata, ReadOnlySpan<byte> content)
    {
        var expected = System.Text.Encoding.ASCII.GetBytes(Sign(header, parentHeader, metadata, content));
        return signature.Length > 0 && CryptographicOperations.FixedTimeEquals(signature, expected);
    }

    private byte[] Mac(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, ReadOnlySpan<byte> c, ReadOnlySpan<byte> d)
    {
        using var hmac = IncrementalHash.CreateHMAC(_algorithm, _key);
        hmac.AppendData(a);
        hmac.AppendData(b);
        hmac.AppendData(c);
        hmac.AppendData(d);
        return hmac.GetHashAndReset();
    }

    private static HashAlgorithmName? Algorithm(string? scheme) => scheme switch
    {
        "hmac-sha256" => HashAlgorithmName.SHA256,
        "hmac-sha384" => HashAlgorithmName.SHA384,
        "hmac-sha512" => HashAlgorithmName.SHA512,
        "hmac-sha1" => HashAlgorithmName.SHA1,
        _ => null,
    };
}
