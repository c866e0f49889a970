import type { Address } from '@ponte/sdk';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useDeveloper } from '../../api';
import { useFormat } from '../../ui/format';
import { Badge, PageHeader, Section } from '../../ui/page';
import { Empty, ErrorView, QueryView } from '../../ui/states';
import { useBuyingMessages } from './messages';
import { AddressForm, addressLine } from './parts';

/** The API keeps at most this many addresses per sub-account. */
const MAX_ADDRESSES = 50;

/**
 * The acting sub-account's address book, as the addresses API offers it: the addresses (the default first), adding
 * one, editing one, and making one the default.
 */
export function AddressesPage() {
  const { t } = useBuyingMessages();
  const { client, devKey } = useDeveloper();
  const addresses = useQuery({
    queryKey: devKey('buying', 'addresses'),
    queryFn: () => client.addresses.list(),
  });
  const [adding, setAdding] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const full = (addresses.data?.length ?? 0) >= MAX_ADDRESSES;

  return (
    <>
      <PageHeader
        title={t('addressesTitle')}
        actions={
          !adding && (
            <button
              type="button"
              className="btn btn-primary"
              disabled={full}
              onClick={() => {
                setDone(null);
                setAdding(true);
              }}
            >
              {t('addAddress')}
            </button>
          )
        }
      >
        <p>{t('addressesIntro', { max: MAX_ADDRESSES })}</p>
      </PageHeader>
      {done && (
        <p className="notice" role="status">
          {done}
        </p>
      )}
      {adding && (
        <Section title={t('newAddress')}>
          <AddressForm
            testId="new-address-form"
            onSaved={(a) => {
              setAdding(false);
              setDone(t('addressAdded', { name: a.name }));
            }}
            onCancel={() => setAdding(false)}
          />
        </Section>
      )}
      <Section title={t('addressBook')}>
        <QueryView query={addresses}>
          {(list) =>
            list.length === 0 ? (
              <Empty>{t('noAddresses')}</Empty>
            ) : (
              <ul style={{ listStyle: 'none', margin: 0, padding: 0 }}>
                {list.map((a) => (
                  <AddressItem key={a.id} address={a} onDone={setDone} />
                ))}
              </ul>
            )
          }
        </QueryView>
      </Section>
    </>
  );
}

function AddressItem({ address, onDone }: { address: Address; onDone: (text: string | null) => void }) {
  const { t } = useBuyingMessages();
  const { dateTime } = useFormat();
  const { client, devKey } = useDeveloper();
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState(false);
  const makeDefault = useMutation({
    // The API replaces the whole address: the parts are sent back as they are, with the flag.
    mutationFn: () =>
      client.addresses.save({
        id: address.id,
        name: address.name,
        phone: address.phone,
        mobilePhone: address.mobilePhone || null,
        country: address.country || null,
        province: address.province,
        city: address.city,
        district: address.district || null,
        address: address.address,
        zip: address.zip || null,
        isDefault: true,
      }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: devKey('buying', 'addresses') });
      onDone(t('defaultSet', { name: address.name }));
    },
  });

  return (
    <li
      className="card"
      data-testid="address"
      aria-label={address.name}
      style={{ marginBottom: '0.75rem', background: 'var(--bg)' }}
    >
      {editing ? (
        <AddressForm
          address={address}
          onSaved={(a) => {
            setEditing(false);
            onDone(t('addressSaved', { name: a.name }));
          }}
          onCancel={() => setEditing(false)}
        />
      ) : (
        <>
          <p style={{ margin: '0 0 0.35rem' }}>
            <strong>{address.name}</strong> · {address.phone}
            {address.mobilePhone && ` · ${address.mobilePhone}`}{' '}
            {address.isDefault && <Badge tone="good">{t('default')}</Badge>}
          </p>
          <p style={{ margin: '0 0 0.35rem' }}>{addressLine(address)}</p>
          <p className="field-hint" style={{ margin: 0 }}>
            {t('updatedAt', { time: dateTime(address.updateTime) })}
          </p>
          {makeDefault.isError && <ErrorView error={makeDefault.error} />}
          <div className="form-actions">
            <button
              type="button"
              className="btn btn-small"
              onClick={() => {
                onDone(null);
                setEditing(true);
              }}
              aria-label={t('editNamed', { name: address.name })}
            >
              {t('edit')}
            </button>
            {!address.isDefault && (
              <button
                type="button"
                className="btn btn-small"
                disabled={makeDefault.isPending}
                onClick={() => makeDefault.mutate()}
                aria-label={t('makeDefaultNamed', { name: address.name })}
              >
                {t('makeDefaultShort')}
              </button>
            )}
          </div>
        </>
      )}
    </li>
  );
}
