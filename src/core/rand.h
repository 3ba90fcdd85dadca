/* Random bytes from the kernel (getrandom); dies if the kernel cannot give them. */
#ifndef PRAXIS_CORE_RAND_H
#define PRAXIS_CORE_RAND_H

#include <stddef.h>
#include <stdint.h>

void rand_bytes(void *p, size_t n);
uint64_t rand_u64(void);
/* n random bytes as 2n lower-case hex characters plus NUL into out. */
void rand_hex(char *out, size_t n);

#endif
