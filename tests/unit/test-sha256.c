/* SHA-256 against the FIPS 180-2 vectors and hashlib-computed block-boundary cases. */
#include <stdint.h>

#include "t.h"
#include "util/sha256.h"
#include "util/xalloc.h"

static const struct {
	const char *input;
	size_t repeat;		/* input repeated this many times */
	const char *hex;
} cases[] = {
	/* FIPS 180-2, appendix B */
	{ "", 1, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" },
	{ "abc", 1, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
	{ "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 1,
	  "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1" },
	{ "a", 1000000, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0" },
	/* The 896-bit message of FIPS 180-2's SHA-512 vectors. */
	{ "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopq"
	  "klmnopqrlmnopqrsmnopqrstnopqrstu", 1,
	  "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1" },
	/* Lengths around the padding boundaries (55 fits one block, 56 needs two). */
	{ "a", 55, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318" },
	{ "a", 56, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a" },
	{ "a", 57, "f13b2d724659eb3bf47f2dd6af1accc87b81f09f59f2b75e5c0bed6589dfe8c6" },
	{ "a", 63, "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34" },
	{ "a", 64, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb" },
	{ "a", 65, "635361c48bb9eab14198e76ea8ab7f1a41685d6ad62aa9146d301d4f17eb0ae0" },
	{ "a", 119, "31eba51c313a5c08226adf18d4a359cfdfd8d2e816b13f4af952f7ea6584dcfb" },
	{ "a", 120, "2f3d335432c70b580af0e8e1b3674a7c020d683aa5f73aaaedfdc55af904c21c" },
	{ "a", 128, "6836cf13bac400e9105071cd6af47084dfacad4e5e302c94bfed24e013afb73e" },
	/* UTF-8 text, as page bytes are. */
	{ "\xe6\x99\x8b\xe6\xb1\x9f\xe5\xb8\x82", 1,
	  "9bd9a3146796ef1dd2bcd9813477ea7acb350e013203a8d0675d968672034eb4" },
};

static void test_vectors(void)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t n = strlen(cases[i].input), len = n * cases[i].repeat;
		char *msg = xmalloc(len + 1), hex[SHA256_HEX_LEN];
		unsigned char d[SHA256_LEN];

		for (size_t r = 0; r < cases[i].repeat; r++)
			memcpy(msg + r * n, cases[i].input, n);
		sha256(msg, len, d);
		sha256_to_hex(d, hex);
		CHECK_STR(hex, cases[i].hex);
		sha256_hex(msg, len, hex);
		CHECK_STR(hex, cases[i].hex);
		free(msg);
	}
}

/* Every byte value, NUL and high bytes included. */
static void test_bytes(void)
{
	unsigned char msg[1024];
	char hex[SHA256_HEX_LEN];

	for (size_t i = 0; i < sizeof(msg); i++)
		msg[i] = (unsigned char)i;
	sha256_hex(msg, sizeof(msg), hex);
	CHECK_STR(hex, "785b0751fc2c53dc14a4ce3d800e69ef9ce1009eb327ccf458afe09c242c26c9");
}

/* An empty buffer may be NULL (an empty page). */
static void test_empty_null(void)
{
	char hex[SHA256_HEX_LEN];

	sha256_hex(NULL, 0, hex);
	CHECK_STR(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	CHECK_INT(strlen(hex), 64);
}

int main(void)
{
	RUN(test_vectors);
	RUN(test_bytes);
	RUN(test_empty_null);
	return t_done(__FILE__);
}
