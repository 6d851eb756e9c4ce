/** A delivery's message as its columns go into and come out of the deliveries table. */
export interface MessageColumns {
  to_addresses: string[];
  cc_addresses: string[];
  bcc_addresses: string[];
  reply_to: string | null;
  subject: string;
  text_body: string | null;
  html_body: string | null;
}
