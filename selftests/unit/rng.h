/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A small deterministic PRNG (xorshift64*) for the host tests that make
 * their inputs: the same sequence on every run.  A test may define
 * RNG_SEED before including this.
 */
#ifndef _SIGIL_UNIT_RNG_H
#define _SIGIL_UNIT_RNG_H

#ifndef RNG_SEED
#define RNG_SEED 0x2545f4914f6cdd1dull
#endif

static u64 rng_state = RNG_SEED;

static inline u64 rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dull;
}

static inline unsigned int below(unsigned int n)
{
	return (unsigned int)(rnd() % n);
}

#endif /* _SIGIL_UNIT_RNG_H */
