import type { Address, AddressInput, AlibabaCartOrderInput, TaobaoCartOrderInput } from '@ponte/sdk';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, type ReactNode, useState } from 'react';
import { useDeveloper } from '../../api';
import { Badge, Field } from '../../ui/page';
import { ErrorView } from '../../ui/states';
import { useBuyingMessages } from './messages';
import type { Platform } from './search';

/** A product picture as a thumbnail, or an empty box of the same size when the API gives none. */
export function Thumb({ src }: { src: string | null | undefined }) {
  if (!src) return <span className="thumb" style={{ display: 'inline-block' }} aria-hidden="true" />;
  // Decorative: the title is always written beside it.
  return <img className="thumb" src={src} alt="" loading="lazy" width={56} height={56} />;
}

/** A title in the reader's language with the marketplace's original Chinese under it when they differ. */
export function Title({ trans, original }: { trans: string | null | undefined; original: string }) {
  const shown = trans || original;
  return (
    <span style={{ display: 'flex', flexDirection: 'column' }}>
      <span>{shown}</span>
      {shown !== original && (
        <small lang="zh" style={{ color: 'var(--muted)' }}>
          {original}
        </small>
      )}
    </span>
  );
}

interface Property {
  propName: string;
  propNameTrans?: string;
  valueName: string;
  valueNameTrans?: string;
}

/** A SKU's properties as "Colour: red · Size: M" in the reader's language. */
export function skuText(properties: readonly Property[]): string {
  return properties.map((p) => `${p.propNameTrans || p.propName}: ${p.valueNameTrans || p.valueName}`).join(' · ');
}

/** A row of a picture and what it shows. */
export function ProductCell({ pic, children }: { pic: string | null | undefined; children: ReactNode }) {
  return (
    <div style={{ display: 'flex', gap: '0.6rem', alignItems: 'flex-start', minWidth: '14rem' }}>
      <Thumb src={pic} />
      <div style={{ display: 'flex', flexDirection: 'column', gap: '0.15rem' }}>{children}</div>
    </div>
  );
}

export const platformName = (platform: Platform): string => (platform === 'taobao' ? 'Taobao' : '1688');

type StatusKey = 'awaitingPayment' | 'awaitingShipment' | 'shipped' | 'received' | 'finished' | 'closed';

const STATUS_KEYS: Record<string, StatusKey> = {
  WAIT_BUYER_PAY: 'awaitingPayment',
  WAIT_SELLER_SEND_GOODS: 'awaitingShipment',
  WAIT_BUYER_CONFIRM_GOODS: 'shipped',
  TRADE_FINISHED: 'finished',
  TRADE_CLOSED: 'closed',
  waitbuyerpay: 'awaitingPayment',
  waitsellersend: 'awaitingShipment',
  waitbuyerreceive: 'shipped',
  confirm_goods: 'received',
  success: 'finished',
  cancel: 'closed',
};

const STATUS_TONES: Record<StatusKey, 'neutral' | 'good' | 'warn' | 'bad'> = {
  awaitingPayment: 'warn',
  awaitingShipment: 'neutral',
  shipped: 'neutral',
  received: 'good',
  finished: 'good',
  closed: 'bad',
};

export function statusKey(status: string): StatusKey | undefined {
  return STATUS_KEYS[status];
}

/** The translated label of an order status of either platform. */
export function useStatusLabel() {
  const { t } = useBuyingMessages();
  return (status: string): string => {
    const key = STATUS_KEYS[status];
    return key ? t(`status_${key}`) : status;
  };
}

/** An order's status: the words for people, and the API's own word beside them. */
export function StatusBadge({ status }: { status: string }) {
  const label = useStatusLabel();
  const key = STATUS_KEYS[status];
  return (
    <span style={{ display: 'inline-flex', gap: '0.35rem', alignItems: 'center', flexWrap: 'wrap' }}>
      <Badge tone={key ? STATUS_TONES[key] : 'neutral'}>{label(status)}</Badge>
      <code>{status}</code>
    </span>
  );
}

type PayKey = 'unpaid' | 'paying' | 'paid' | 'reversed';
const PAY_TONES: Record<PayKey, 'neutral' | 'good' | 'warn' | 'bad'> = {
  unpaid: 'warn',
  paying: 'warn',
  paid: 'good',
  reversed: 'bad',
};

/** A payment state (Taobao's `PAID`, 1688's `paid`…), in words and in the API's word. */
export function PayBadge({ payStatus, testId }: { payStatus: string; testId?: string }) {
  const { t } = useBuyingMessages();
  const key = payStatus.toLowerCase() as PayKey;
  const known = key in PAY_TONES;
  return (
    <span style={{ display: 'inline-flex', gap: '0.35rem', alignItems: 'center', flexWrap: 'wrap' }}>
      <Badge tone={known ? PAY_TONES[key] : 'neutral'}>{known ? t(`pay_${key}`) : payStatus}</Badge>
      <code data-testid={testId}>{payStatus}</code>
    </span>
  );
}

/** An address on one or two lines, as people read it. */
export function addressLine(a: Address): string {
  return [a.address, a.district, a.city, a.province, a.zip, a.country].filter(Boolean).join(', ');
}

/** An address book entry as Taobao's cart order takes it (`state` is the province). */
export function taobaoAddress(a: Address): TaobaoCartOrderInput['orderAddress'] {
  return {
    name: a.name,
    phone: a.phone,
    mobile_phone: a.mobilePhone || a.phone,
    country: a.country,
    state: a.province,
    city: a.city,
    district: a.district,
    address: a.address,
    zip: a.zip,
  };
}

/** An address book entry as 1688's order takes it (`FastAdress`). */
export function alibabaAddress(a: Address): AlibabaCartOrderInput['addressParam'] {
  return {
    fullName: a.name,
    mobile: a.mobilePhone || a.phone,
    phone: a.phone,
    postCode: a.zip,
    provinceText: a.province,
    cityText: a.city,
    areaText: a.district,
    address: a.address,
  };
}

type AddressFields = Required<
  Pick<AddressInput, 'name' | 'phone' | 'province' | 'city' | 'address'> & {
    mobilePhone: string;
    country: string;
    district: string;
    zip: string;
  }
> & { isDefault: boolean };

const emptyAddress: AddressFields = {
  name: '',
  phone: '',
  mobilePhone: '',
  country: '',
  province: '',
  city: '',
  district: '',
  address: '',
  zip: '',
  isDefault: false,
};

/** The phone format the API takes: 5 to 20 digits, spaces, + or -. */
const PHONE_PATTERN = '[0-9 +\\-]{5,20}';

/**
 * Adds an address to the acting sub-account's book, or edits one (`address` given). Required parts are required by
 * the form too, so that the API's refusal is only for what a browser cannot check.
 */
export function AddressForm({
  address,
  onSaved,
  onCancel,
  testId,
}: {
  address?: Address;
  onSaved: (saved: Address) => void;
  onCancel?: () => void;
  testId?: string;
}) {
  const { t } = useBuyingMessages();
  const { client, devKey } = useDeveloper();
  const queryClient = useQueryClient();
  const [form, setForm] = useState<AddressFields>(() =>
    address
      ? {
          name: address.name,
          phone: address.phone,
          mobilePhone: address.mobilePhone,
          country: address.country,
          province: address.province,
          city: address.city,
          district: address.district,
          address: address.address,
          zip: address.zip,
          isDefault: address.isDefault,
        }
      : emptyAddress,
  );
  const save = useMutation({
    mutationFn: (f: AddressFields) => {
      const trimmed = (s: string) => s.trim();
      const input: AddressInput = {
        name: trimmed(f.name),
        phone: trimmed(f.phone),
        province: trimmed(f.province),
        city: trimmed(f.city),
        address: trimmed(f.address),
        district: trimmed(f.district) || null,
        mobilePhone: trimmed(f.mobilePhone) || null,
        country: trimmed(f.country) || null,
        zip: trimmed(f.zip) || null,
      };
      // Left out, the flag keeps an edited address as it is and makes a first address the default.
      if (f.isDefault !== (address?.isDefault ?? false)) input.isDefault = f.isDefault;
      if (address) input.id = address.id;
      return client.addresses.save(input);
    },
    onSuccess: async (saved) => {
      await queryClient.invalidateQueries({ queryKey: devKey('buying', 'addresses') });
      onSaved(saved);
    },
  });
  const set = (name: keyof Omit<AddressFields, 'isDefault'>) => (e: { target: { value: string } }) =>
    setForm((f) => ({ ...f, [name]: e.target.value }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate(form);
  };
  return (
    <form onSubmit={submit} data-testid={testId} aria-label={address ? t('editAddress') : t('newAddress')}>
      <div className="form-row">
        <Field label={t('receiver')}>
          <input required maxLength={64} autoComplete="name" value={form.name} onChange={set('name')} />
        </Field>
        <Field label={t('phone')} hint={t('phoneHint')}>
          <input
            required
            type="tel"
            pattern={PHONE_PATTERN}
            maxLength={20}
            autoComplete="tel"
            value={form.phone}
            onChange={set('phone')}
          />
        </Field>
        <Field label={t('mobilePhone')}>
          <input
            type="tel"
            pattern={PHONE_PATTERN}
            maxLength={20}
            autoComplete="tel"
            value={form.mobilePhone}
            onChange={set('mobilePhone')}
          />
        </Field>
      </div>
      <div className="form-row">
        <Field label={t('country')} hint={t('countryHint')}>
          <input maxLength={64} autoComplete="country-name" value={form.country} onChange={set('country')} />
        </Field>
        <Field label={t('province')}>
          <input
            required
            maxLength={64}
            autoComplete="address-level1"
            value={form.province}
            onChange={set('province')}
          />
        </Field>
        <Field label={t('city')}>
          <input required maxLength={64} autoComplete="address-level2" value={form.city} onChange={set('city')} />
        </Field>
        <Field label={t('district')}>
          <input maxLength={64} autoComplete="address-level3" value={form.district} onChange={set('district')} />
        </Field>
      </div>
      <div className="form-row">
        <Field label={t('street')}>
          <input
            required
            maxLength={256}
            autoComplete="street-address"
            value={form.address}
            onChange={set('address')}
          />
        </Field>
        <Field label={t('zip')}>
          <input maxLength={20} autoComplete="postal-code" value={form.zip} onChange={set('zip')} />
        </Field>
      </div>
      <label style={{ display: 'flex', gap: '0.4rem', alignItems: 'center' }}>
        <input
          type="checkbox"
          checked={form.isDefault}
          onChange={(e) => setForm((f) => ({ ...f, isDefault: e.target.checked }))}
        />
        {t('makeDefault')}
      </label>
      {save.isError && <ErrorView error={save.error} />}
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={save.isPending}>
          {save.isPending ? t('saving') : address ? t('saveAddress') : t('addAddress')}
        </button>
        {onCancel && (
          <button type="button" className="btn" onClick={onCancel}>
            {t('cancelEdit')}
          </button>
        )}
      </div>
    </form>
  );
}
